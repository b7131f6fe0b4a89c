/** ID-set path parameters as the simulated API reads them. */
import { idSetSize, parseIdSet, type ParsedIdSet } from '../../brightpearl/idset';
import { BrightpearlApiError, ERROR_CODES } from './envelope';

/** Longer ID sets than this get a 414, as proxies answer clients that don't chunk (seen by Medusa's plugin). */
export const MAX_IDSET_TEXT_LENGTH = 4096;

/**
 * An ID set for a GET with a documented per-request maximum. Invalid tokens are ignored, as the
 * real API mostly does. Over the maximum the reference documents the cap but not the answer; we
 * answer 400 with an errors envelope (a validation failure, which is what 400 means there) and
 * keep 414 for over-long URLs, where it was actually observed.
 */
export function cappedIdSet(text: string, maxIds: number, what: string): ParsedIdSet {
  if (text.length > MAX_IDSET_TEXT_LENGTH) throw new BrightpearlApiError(414, ERROR_CODES.BAD_REQUEST, 'Request-URI Too Long');
  const set = parseIdSet(text);
  const size = idSetSize(set);
  if (size > maxIds) {
    throw new BrightpearlApiError(
      400,
      ERROR_CODES.BAD_REQUEST,
      `Too many ${what} ids requested: ${size} (at most ${maxIds} per request; use OPTIONS to split the request)`,
    );
  }
  return set;
}
