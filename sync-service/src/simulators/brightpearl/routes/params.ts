/** Path parameters shared by the route modules. */
import { expandIdSet, type ParsedIdSet } from '../../../brightpearl/idset';
import { BrightpearlApiError, ERROR_CODES, notFound } from '../envelope';

export type IdSetParams = { Params: { idSet: string } };
export type IdParams = { Params: { id: string } };

/** A single id in a path (`/order/{id}/status`); anything else names nothing: 404. */
export function pathId(text: string, what: string): number {
  if (!/^\d{1,10}$/.test(text) || Number(text) === 0) throw notFound(`No ${what} ${text}`);
  return Number(text);
}

/** An ID set that must name at least one id (sales-credit GET: "empty ID set not allowed"). */
export function nonEmpty(set: ParsedIdSet, text: string): ParsedIdSet {
  if (set.ranges.length === 0) throw new BrightpearlApiError(400, ERROR_CODES.BAD_REQUEST, `The ID set ${text} names no ids`);
  return set;
}

/** How many distinct ids a (capped, so small) set names. */
export function distinctIds(set: ParsedIdSet): number {
  return expandIdSet(set).length;
}
