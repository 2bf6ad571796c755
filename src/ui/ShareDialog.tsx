/**
 * Share: a link that carries the log itself (no server), with its length
 * shown before copying. Too long for a link: an excerpt, or the file plus a
 * link that names it by SHA-256.
 */
import { useState } from 'react';
import { LINK_MAX_LENGTH, LINK_WARN_LENGTH } from '../core/index.ts';
import type { ShareResult } from '../worker/protocol.ts';
import { downloadBuffer, shareAlternative } from './actions.ts';
import { copyText, n } from './format.ts';
import { useApp } from './store.ts';

function LinkBox({ result, testid }: { result: ShareResult; testid: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="link-box">
      <p>
        <span data-testid={`${testid}-length`}>{n(result.length)}</span> characters
        {result.lengthClass === 'long' && (
          <span className="warning" data-testid={`${testid}-warning`}>
            {' '}
            · longer than {n(LINK_WARN_LENGTH)}: chat tools and some mail clients cut links this long
          </span>
        )}
      </p>
      {result.note && <p className="muted">{result.note}</p>}
      <textarea
        readOnly
        value={result.link}
        data-testid={testid}
        aria-label="Share link"
        rows={3}
        onFocus={(e) => e.currentTarget.select()}
      />
      <button type="button" onClick={() => void copyText(result.link).then(setCopied)}>
        {copied ? 'Copied' : 'Copy link'}
      </button>
    </div>
  );
}

export function ShareDialog() {
  const share = useApp((s) => s.share);
  const viewTotal = useApp((s) => s.viewTotal);
  const summary = useApp((s) => s.summary);
  const rec = useApp((s) => s.view.rec);
  const set = useApp((s) => s.set);
  if (!share || !summary) return null;
  const tooLong = share.full?.lengthClass === 'too-long';
  return (
    <div className="share-dialog" role="dialog" aria-label="Share this log" data-testid="share-dialog">
      <header>
        <strong>Share this log</strong>
        <button type="button" onClick={() => set({ share: null })} aria-label="Close">
          Close
        </button>
      </header>
      <p className="muted">
        The link holds the log itself, compressed: whoever opens it sees the same bytes at the same record,
        with no server. Anyone with the link can read the log.
      </p>
      {share.busy && <p role="status">Building the link…</p>}
      {share.error && (
        <p className="error" role="status">
          {share.error}
        </p>
      )}
      {share.full && !tooLong && <LinkBox result={share.full} testid="share-link" />}
      {share.full && tooLong && (
        <div className="refusal" data-testid="share-refusal">
          <p>
            This log makes a link of {n(share.full.length)} characters, more than the {n(LINK_MAX_LENGTH)} a
            link may have (browsers and servers refuse longer ones). Instead:
          </p>
          <div className="alternatives">
            <button
              type="button"
              disabled={viewTotal === 0}
              onClick={() => void shareAlternative('excerpt-view')}
            >
              Link to the {n(viewTotal)} records shown
            </button>
            <button
              type="button"
              disabled={rec === null}
              onClick={() => void shareAlternative('excerpt-selected')}
            >
              Link to the selected record only
            </button>
            <button
              type="button"
              onClick={() => {
                void downloadBuffer();
                void shareAlternative('hash');
              }}
            >
              Download the buffer + a link naming it
            </button>
          </div>
        </div>
      )}
      {share.alternative && share.alternative.lengthClass === 'too-long' ? (
        <p className="error" role="status">
          That link is still {n(share.alternative.length)} characters: filter down to fewer records first.
        </p>
      ) : (
        share.alternative && <LinkBox result={share.alternative} testid="share-alternative" />
      )}
    </div>
  );
}
