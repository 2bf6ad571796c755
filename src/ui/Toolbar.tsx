/** Opening logs (file, drop, paste, sample) and the format / byte-order overrides. */
import { useEffect, useRef, useState } from 'react';
import type { ByteOrder, LogFormat } from '../core/index.ts';
import { openFile, openSample, openText, reopen, startShare } from './actions.ts';
import { useApp } from './store.ts';

export interface Sample {
  file: string;
  title: string;
}

export function Toolbar() {
  const fileInput = useRef<HTMLInputElement>(null);
  const [samples, setSamples] = useState<Sample[]>([]);
  const [pasting, setPasting] = useState(false);
  const [pasted, setPasted] = useState('');

  useEffect(() => {
    fetch(`${import.meta.env.BASE_URL}samples/index.json`)
      .then((r) => (r.ok ? r.json() : []))
      .then(setSamples)
      .catch(() => setSamples([]));
  }, []);

  return (
    <header className="toolbar">
      <h1>BPF Log Inspector</h1>
      <button type="button" onClick={() => fileInput.current?.click()}>
        Open file…
      </button>
      <input
        ref={fileInput}
        type="file"
        className="visually-hidden"
        aria-label="Open a log file"
        onChange={(e) => {
          const file = e.target.files?.[0];
          if (file) void openFile(file);
          e.target.value = '';
        }}
      />
      <label>
        <span className="visually-hidden">Open a sample</span>
        <select
          aria-label="Open a sample"
          data-testid="sample-select"
          value=""
          onChange={(e) => {
            const sample = samples.find((s) => s.file === e.target.value);
            if (sample) void openSample(`${import.meta.env.BASE_URL}samples/${sample.file}`, sample.file);
          }}
        >
          <option value="">Open a sample…</option>
          {samples.map((s) => (
            <option key={s.file} value={s.file}>
              {s.title}
            </option>
          ))}
        </select>
      </label>
      <button type="button" onClick={() => setPasting(!pasting)} aria-expanded={pasting}>
        Paste text…
      </button>
      <ShareButton />
      <FormatOverrides />
      {pasting && (
        <div className="paste-box">
          <textarea
            aria-label="Log text to decode"
            data-testid="paste-input"
            placeholder="Paste a verifier log here"
            value={pasted}
            onChange={(e) => setPasted(e.target.value)}
          />
          <button
            type="button"
            disabled={pasted === ''}
            onClick={() => {
              setPasting(false);
              void openText(pasted);
              setPasted('');
            }}
          >
            Decode pasted text
          </button>
        </div>
      )}
    </header>
  );
}

function ShareButton() {
  const summary = useApp((s) => s.summary);
  if (!summary || summary.size === 0) return null;
  // A link made from part of a log would carry the wrong bytes: sharing waits for the whole log.
  const loading = Boolean(summary.loading);
  return (
    <button
      type="button"
      disabled={loading}
      onClick={() => void startShare()}
      title={loading ? 'Share once the log has finished loading' : 'Share a link that carries this log (s)'}
      data-testid="share-button"
    >
      Share…
    </button>
  );
}

function FormatOverrides() {
  const summary = useApp((s) => s.summary);
  const format = useApp((s) => s.view.format);
  const byteOrder = useApp((s) => s.view.byteOrder);
  if (!summary || summary.size === 0) return null;
  return (
    <div className="overrides">
      <label title={summary.formatReason}>
        format{' '}
        <select
          data-testid="format-select"
          value={format ?? ''}
          onChange={(e) => void reopen((e.target.value || null) as LogFormat | null, byteOrder)}
        >
          <option value="">auto ({summary.format ?? 'none'})</option>
          <option value="tlv">TLV</option>
          <option value="text">text</option>
        </select>
      </label>
      {summary.format === 'tlv' && (
        <label title={summary.byteOrderReason ?? ''}>
          byte order{' '}
          <select
            data-testid="byte-order-select"
            value={byteOrder ?? ''}
            onChange={(e) => void reopen(format, (e.target.value || null) as ByteOrder | null)}
          >
            <option value="">auto ({summary.byteOrder})</option>
            <option value="little">little-endian</option>
            <option value="big">big-endian</option>
          </select>
        </label>
      )}
    </div>
  );
}
