/**
 * Detail and hex view of the selected record: its header fields and
 * contents, each with its byte range, linked both ways with the hex dump.
 */
import { useEffect, useState } from 'react';
import { HEX_ROW_BYTES, hexDump, hexStream, TYPE_END, TYPE_STRING, typeName } from '../core/index.ts';
import { RECORD_TEXT_BYTES, type RecordDetail } from '../worker/protocol.ts';
import { fetchBytes } from './actions.ts';
import { copyText, hex8, n, typeText } from './format.ts';
import { HexRow } from './HexRows.tsx';
import { useApp } from './store.ts';

/** Most bytes the record view draws (64 rows: more is a long layout on every selection); the buffer view shows any length. */
const MAX_SHOWN = 1024;

interface Field {
  id: string;
  label: string;
  value: string;
  start: number;
  end: number;
}

export function fieldsOf(detail: RecordDetail, bytes: Uint8Array, typeName: string): Field[] {
  const fields: Field[] = [];
  const [cStart, cEnd] = detail.contents;
  if (detail.header) {
    const h = detail.header[0];
    fields.push({ id: 'type', label: 'type', value: `${detail.type} (${typeName})`, start: h, end: h + 2 });
    fields.push({ id: 'len', label: 'len', value: n(detail.length), start: h + 2, end: h + 6 });
    if (detail.type === TYPE_END && cEnd - cStart >= 2) {
      fields.push({
        id: 'count',
        label: 'num_truncations',
        value: String(detail.endCount),
        start: cStart,
        end: cStart + 2,
      });
      if (cEnd - cStart > 2)
        fields.push({
          id: 'extra',
          label: 'extra bytes',
          value: `${cEnd - cStart - 2}`,
          start: cStart + 2,
          end: cEnd,
        });
    } else if (detail.type === TYPE_STRING && detail.nulTerminated) {
      fields.push({
        id: 'contents',
        label: 'text',
        value: `${n(cEnd - cStart - 1)} bytes`,
        start: cStart,
        end: cEnd - 1,
      });
      fields.push({ id: 'nul', label: 'NUL (dropped)', value: '00', start: cEnd - 1, end: cEnd });
    } else {
      fields.push({
        id: 'contents',
        label: 'contents',
        value: `${n(cEnd - cStart)} bytes`,
        start: cStart,
        end: cEnd,
      });
    }
  } else {
    fields.push({
      id: 'contents',
      label: 'line',
      value: `${n(cEnd - cStart)} bytes`,
      start: cStart,
      end: cEnd,
    });
    const after = bytes[cEnd - detail.offset];
    if (after === 0x0a)
      fields.push({ id: 'newline', label: 'newline', value: '0a', start: cEnd, end: cEnd + 1 });
  }
  return fields;
}

export function DetailPane() {
  const detail = useApp((s) => s.detail);
  const typeMap = useApp((s) => s.typeMap);
  const highlight = useApp((s) => s.highlight);
  const set = useApp((s) => s.set);
  const [bytes, setBytes] = useState<Uint8Array | null>(null);
  const [note, setNote] = useState('');

  useEffect(() => {
    setBytes(null);
    if (!detail) return;
    let live = true;
    // One byte past the contents: a text line's newline.
    const end = Math.min(detail.contents[1] + 1, detail.offset + MAX_SHOWN);
    fetchBytes(detail.offset, end)
      .then((b) => live && setBytes(b))
      .catch(() => live && setBytes(new Uint8Array(0)));
    return () => {
      live = false;
    };
  }, [detail]);

  if (!detail) return <p className="muted detail-empty">Select a record to see its fields and bytes.</p>;
  const fields = bytes
    ? fieldsOf(detail, bytes, detail.type === null ? 'line' : typeName(typeMap, detail.type))
    : [];
  const recordEnd = detail.contents[1] + (fields.some((f) => f.id === 'newline') ? 1 : 0);
  const shownEnd = Math.min(recordEnd, detail.offset + MAX_SHOWN);
  const fieldAt = (offset: number) => fields.find((f) => offset >= f.start && offset < f.end);
  const byteAt = (offset: number) =>
    bytes && offset >= detail.offset && offset < shownEnd ? bytes[offset - detail.offset] : undefined;
  const classOf = (offset: number) => {
    const f = fieldAt(offset);
    const hl = highlight && offset >= highlight.start && offset < highlight.end ? ' highlight' : '';
    return `field-${f?.id ?? 'none'}${hl}`;
  };
  const rows: number[] = [];
  for (let r = detail.offset - (detail.offset % HEX_ROW_BYTES); r < shownEnd; r += HEX_ROW_BYTES)
    rows.push(r);
  const recordBytes = bytes ? bytes.subarray(0, shownEnd - detail.offset) : new Uint8Array(0);
  const copy = async (what: string, text: string) =>
    setNote((await copyText(text)) ? `Copied ${what}.` : 'Copy failed.');

  return (
    <section className="detail" aria-label="Record detail">
      <h2>
        Record {n(detail.index)} · {typeText(typeMap, detail.type)} · at {hex8(detail.offset)}
      </h2>
      <table className="fields">
        <thead>
          <tr>
            <th>field</th>
            <th>value</th>
            <th>bytes</th>
          </tr>
        </thead>
        <tbody>
          {fields.map((f) => {
            const active = highlight?.start === f.start && highlight?.end === f.end;
            return (
              <tr
                key={f.id}
                className={`field-row field-${f.id}${active ? ' active' : ''}`}
                data-field={f.id}
                aria-selected={active}
                onClick={() => set({ highlight: { start: f.start, end: f.end } })}
              >
                <td>{f.label}</td>
                <td>{f.value}</td>
                <td>
                  {hex8(f.start)}–{hex8(f.end)} (+{f.start - detail.offset}, {f.end - f.start} B)
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {detail.text !== null && <pre className="record-text">{detail.text}</pre>}
      {detail.textCut > 0 && (
        <p className="muted" data-testid="record-text-cut">
          The text is cut after its first {n(RECORD_TEXT_BYTES)} bytes ({n(detail.textCut)} more): the Buffer
          hex tab shows every byte.
        </p>
      )}
      <div className="copy-buttons">
        <button
          type="button"
          onClick={() => void copy('hex dump', hexDump(recordBytes, detail.offset, shownEnd, detail.offset))}
        >
          Copy as hex dump
        </button>
        <button
          type="button"
          onClick={() => void copy('hex stream', hexStream(recordBytes, 0, recordBytes.length))}
        >
          Copy as hex stream
        </button>
        <button
          type="button"
          disabled={detail.text === null}
          onClick={() => void copy('text', detail.text ?? '')}
        >
          Copy as text
        </button>
        <button
          type="button"
          onClick={() => set({ pane: 'buffer', bufferFocus: { offset: detail.offset, seq: Date.now() } })}
        >
          Show in buffer
        </button>
        <span className="muted" role="status">
          {note}
        </span>
      </div>
      <div className="hex" data-testid="hex-view">
        {rows.map((r) => (
          <HexRow
            key={r}
            rowOffset={r}
            byteAt={byteAt}
            classOf={classOf}
            onByte={(offset) => {
              const f = fieldAt(offset);
              if (f) set({ highlight: { start: f.start, end: f.end } });
            }}
          />
        ))}
        {recordEnd > shownEnd && (
          <p className="muted">
            Showing the first {n(MAX_SHOWN)} of {n(recordEnd - detail.offset)} bytes; “Show in buffer” shows
            them all.
          </p>
        )}
      </div>
    </section>
  );
}
