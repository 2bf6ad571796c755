/**
 * Every line of every file the log's `; … @ file:line` lines name, each with
 * its instructions and visits (a heat bar), then the quotes of kernels before
 * 6.x, which name no file or line, in the order the log quotes them. A click
 * selects the line's first instruction (the caller's job); the line the
 * selected log line belongs to is marked and scrolled into view.
 */
import { useEffect, useMemo, useRef } from 'react';
import type { SourceFileView, SourceLineView, SourceRef } from '../../core/verifier/view.ts';
import { n } from '../format.ts';
import { heatShare } from './display.ts';
import './verifier.css';

/** How many pcs a line lists before it says "and N more". */
const LISTED_PCS = 6;

/** A source line's key: `file:line`, or the quote itself when the kernel gave no location. */
function sourceKey(file: string | null, line: number | null, text: string): string {
  return file === null || line === null ? `; ${text}` : `${file}:${line}`;
}

export interface SourcePaneProps {
  files: readonly SourceFileView[];
  /** The source line of the selected log line, if it has one. */
  marked: SourceRef | null;
  onSelectSourceLine: (file: string | null, line: SourceLineView) => void;
}

export function SourcePane({ files, marked, onSelectSourceLine }: SourcePaneProps) {
  const markedRef = useRef<HTMLLIElement>(null);
  const max = useMemo(() => {
    let most = 0;
    for (const file of files) for (const line of file.lines) most = Math.max(most, line.visits);
    return most;
  }, [files]);
  const markedKey = marked ? sourceKey(marked.file, marked.line, marked.text) : null;
  useEffect(() => {
    if (markedKey) markedRef.current?.scrollIntoView({ block: 'nearest' });
  }, [markedKey]);

  if (files.length === 0) {
    return (
      <div className="vf vf-source" data-testid="source-pane">
        <p className="muted">
          This log names no source lines (the program was built without BTF line info, or the log is cut).
        </p>
      </div>
    );
  }
  return (
    <div className="vf vf-source" data-testid="source-pane">
      {files.map((file) => (
        <section key={file.file ?? ''} className="vf-source-file">
          <h3>
            {file.file ?? 'Quoted without a file and line (kernels before 6.x), in the order first quoted'}
          </h3>
          <ol>
            {file.lines.map((line) => {
              const key = sourceKey(file.file, line.line, line.text);
              const isMarked = key === markedKey;
              const pcs =
                line.pcs.length > LISTED_PCS
                  ? `${line.pcs.slice(0, LISTED_PCS).join(' ')} +${n(line.pcs.length - LISTED_PCS)}`
                  : line.pcs.join(' ');
              return (
                <li
                  key={line.line}
                  ref={isMarked ? markedRef : undefined}
                  className={`vf-source-line${isMarked ? ' marked' : ''}`}
                  data-source-line={key}
                  data-visits={line.visits}
                  aria-current={isMarked ? 'true' : undefined}
                  onClick={() => onSelectSourceLine(file.file, line)}
                  title={line.pcs.length ? `pc ${line.pcs.join(', ')}` : 'no instruction'}
                >
                  <span className="vf-source-no">{file.file === null ? '' : line.line}</span>
                  <code className="vf-source-text">{line.text}</code>
                  <span className="vf-source-pcs">{pcs && `pc ${pcs}`}</span>
                  <span className="vf-visits">{n(line.visits)}</span>
                  <span className="vf-heat" aria-hidden="true">
                    <span
                      className="vf-heat-fill"
                      style={{ width: `${heatShare(line.visits, max) * 100}%` }}
                    />
                  </span>
                </li>
              );
            })}
          </ol>
        </section>
      ))}
    </div>
  );
}
