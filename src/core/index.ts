/** The core's public surface. Pure TypeScript: runs in the page, a Web Worker and Node. */

export { sha256Hex } from './bytes.ts';
export * from './decode.ts';
export * from './detect.ts';
export * from './diagnostics.ts';
export * from './encode.ts';
export * from './excerpt.ts';
export * from './gzip.ts';
export * from './hex.ts';
export * from './joined.ts';
export * from './linkLength.ts';
export * from './load.ts';
export * from './shareLink.ts';
export * from './text.ts';
export * from './tlv.ts';
export * from './typeCounts.ts';
export * from './typeMap.ts';
export * from './types.ts';
export * from './verifier.ts';
export {
  DEFAULT_VIEW_STATE,
  encodeViewState,
  parseViewState,
  type ViewState,
  type ViewStateResult,
} from './viewState.ts';
