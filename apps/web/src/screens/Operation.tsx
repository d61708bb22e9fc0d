/**
 * A sign-in, setup or disconnect running in the agent, followed from the page: its messages,
 * its questions (answered in a labelled field, hidden for secrets) and its browser step
 * (the sign-in page opens in a new tab; a link is there too, should the browser block it).
 * Calls `onDone` with the result when it finished.
 */
import type { JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, errorOf } from '../api/client.js';
import type { ErrorJson, OperationEvent, OperationView } from '../api/types.js';
import { ErrorView } from '../errors/ErrorView.js';

interface Props {
  operation: OperationView;
  onDone(result: unknown): void;
  onError(error: ErrorJson): void;
}

export function OperationPanel({ operation, onDone, onError }: Props): JSX.Element {
  const [events, setEvents] = useState<OperationEvent[]>(operation.events);
  const [answered, setAnswered] = useState<Set<number>>(new Set());
  const [answer, setAnswer] = useState('');
  const [error, setError] = useState<ErrorJson | undefined>(undefined);
  const opened = useRef(new Set<number>());

  useEffect(() => {
    let stopped = false;
    let after = operation.events.reduce((max, e) => Math.max(max, e.seq), 0);
    const poll = async (): Promise<void> => {
      while (!stopped) {
        let view: OperationView;
        try {
          view = await api.get<OperationView>(`/operations/${operation.id}?after=${after}`);
        } catch (caught) {
          if (!stopped) setError(errorOf(caught));
          return;
        }
        if (stopped) return;
        if (view.events.length) {
          after = view.events[view.events.length - 1]!.seq;
          setEvents((current) => [...current, ...view.events]);
        }
        if (view.done) {
          if (view.error) onError(view.error);
          else onDone(view.result);
          return;
        }
      }
    };
    void poll();
    return () => {
      stopped = true;
    };
    // One poll loop per operation: new callbacks or events from a re-render must not restart it.
    // eslint-disable-next-line react-hooks/exhaustive-deps -- see above
  }, [operation.id]);

  // The browser step: a new tab with the sign-in page, once per request.
  useEffect(() => {
    for (const event of events) {
      if (event.type === 'openBrowser' && !opened.current.has(event.seq)) {
        opened.current.add(event.seq);
        window.open(event.url, '_blank', 'noopener,noreferrer');
        void api.post(`/operations/${operation.id}/answer`, { seq: event.seq }).catch((caught: unknown) => setError(errorOf(caught)));
      }
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps -- operation.id is fixed for this panel's life
  }, [events]);

  const question = events.find((e): e is Extract<OperationEvent, { type: 'prompt' }> => e.type === 'prompt' && !answered.has(e.seq));
  const send = (event: Event): void => {
    event.preventDefault();
    if (!question) return;
    const seq = question.seq;
    setAnswered((current) => new Set(current).add(seq));
    setAnswer('');
    void api.post(`/operations/${operation.id}/answer`, { seq, value: answer }).catch((caught: unknown) => setError(errorOf(caught)));
  };
  const browser = [...events].reverse().find((e): e is Extract<OperationEvent, { type: 'openBrowser' }> => e.type === 'openBrowser');
  const messages = events.filter(
    (e): e is Extract<OperationEvent, { type: 'info' | 'warn' | 'progress' }> =>
      e.type === 'info' || e.type === 'warn' || e.type === 'progress',
  );

  return (
    <div class="operation" aria-live="polite">
      {messages.length > 0 && (
        <ul class="messages">
          {messages.map((m) => (
            <li key={m.seq} class={`message-${m.type}`}>
              {m.type === 'warn' ? 'warning: ' : ''}
              {m.message}
            </li>
          ))}
        </ul>
      )}
      {browser && (
        <p class="browser-step">
          Sign in on the page that opened in a new tab; this screen updates when you are done.{' '}
          <a href={browser.url} target="_blank" rel="noopener noreferrer">
            Open the sign-in page
          </a>
        </p>
      )}
      {question && (
        <form onSubmit={send} class="prompt">
          <div class="field">
            <label for={`prompt-${question.seq}`}>{question.question}</label>
            <input
              id={`prompt-${question.seq}`}
              type={(question.secret ? 'password' : 'text') as 'text'}
              autocomplete="off"
              autofocus
              value={answer}
              onInput={(e) => setAnswer(e.currentTarget.value)}
            />
          </div>
          <button type="submit" class="primary">
            Send
          </button>
        </form>
      )}
      {!question && <p class="muted">Working…</p>}
      <ErrorView error={error} />
    </div>
  );
}
