/**
 * The engine appends what the remote clients retried to the outcomes a run records next
 * ("Unknown SKU X — after 2 retries (brightpearl HTTP 503; …)", see engine/run-scope.ts). The note
 * says what happened in that run, not why an entity failed: comparisons of failure reasons (is
 * this the same failure again?) must ignore it.
 */
const RETRY_NOTE = / — after \d+ retr(?:y|ies) \([^()]*\)$/;

/** A message without the engine's trailing retry note. */
export function withoutRetryNote(message: string): string {
  return message.replace(RETRY_NOTE, '');
}
