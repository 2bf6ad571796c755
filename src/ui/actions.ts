/**
 * What components may do, and the only way they reach the worker: the
 * controller's modules (controller/), re-exported. Every failure ends as a
 * message in the store, never as an uncaught error.
 */
export {
  fetchBytes,
  fetchHexPage,
  fetchLineCount,
  fetchLines,
  fetchRecord,
  fetchRows,
} from './controller/data.ts';
export {
  openBlob,
  openFile,
  openFromLocation,
  openRecent,
  openSample,
  openText,
  readLocation,
} from './controller/opening.ts';
export { cancelJobs, injectWorkerFault, isDropped, settings } from './controller/owner.ts';
export { forgetRecentLogs, refreshRecent } from './controller/recent.ts';
export { downloadBuffer, shareAlternative, startShare } from './controller/sharing.ts';
export { loadStoredTypeMap, setTypeMap, TYPE_MAP_STORAGE_KEY } from './controller/typeMap.ts';
export {
  clearDefs,
  fetchInsnRows,
  jumpToError,
  loadSource,
  selectLine,
  selectPc,
  selectProgram,
  selectSourceLine,
  setKinds,
  showDefChain,
  showDefChainAtPc,
  stepVisit,
} from './controller/verifier.ts';
export {
  applyView,
  jumpToOffset,
  recordLink,
  reopen,
  selectRecord,
  setFilter,
  setSort,
  syncFromUrl,
} from './controller/view.ts';
