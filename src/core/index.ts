/** The core's public surface. Pure TypeScript: runs in the page, a Web Worker and Node. */

export { decodeUtf8, sha256Hex, sha256Steps, TailWindow } from './bytes.ts';
export * from './decode.ts';
export * from './detect.ts';
export * from './diagnostics.ts';
export * from './encode.ts';
export * from './excerpt.ts';
export * from './gzip.ts';
export * from './hex.ts';
export * from './indexer.ts';
export * from './joined.ts';
export * from './linkLength.ts';
export * from './load.ts';
export * from './shareLink.ts';
export * from './stream.ts';
export * from './text.ts';
export * from './tlv.ts';
export * from './typeCounts.ts';
export * from './typeMap.ts';
export * from './types.ts';
export * from './verifier/grammar.ts';
export * from './verifier/helpers.ts';
export * from './verifier/insn.ts';
export * from './verifier/insns.ts';
export * from './verifier/kinds.ts';
export * from './verifier/lines.ts';
export * from './verifier/model.ts';
export * from './verifier/regions.ts';
export * from './verifier/source.ts';
export * from './verifier/state.ts';
export * from './verifier/stateAt.ts';
export * from './verifier/stats.ts';
export * from './verifier/usedef.ts';
export * from './verifier/verdict.ts';
export * from './verifier.ts';
export {
  DEFAULT_VIEW_STATE,
  encodeViewState,
  parseViewState,
  type ViewState,
  type ViewStateResult,
} from './viewState.ts';
