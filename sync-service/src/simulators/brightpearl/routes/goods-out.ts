/** warehouse-service: goods-out notes (create, read by order/note ID sets, search, tracking, events). */
import type { FastifyReply } from 'fastify';
import { idSetContains } from '../../../brightpearl/idset';
import { selectByIdSet } from '../data';
import { BrightpearlApiError, ERROR_CODES, sendEmpty, sendResponse, sendSearch, type BrightpearlRouteModule } from '../envelope';
import { GOODS_OUT_SEARCH, createGoodsOutNotes, goodsOutNoteView, postGoodsOutEvents, updateGoodsOutNote } from '../goods-out';
import { cappedIdSet } from '../idsets';
import { runSearch, type SearchQuery } from '../search';
import { pathId, type IdParams } from './params';

export const GOODS_OUT_MAX_IDS = 500;

type NoteGetParams = { Params: { orderIds: string; noteIds?: string } };

export const goodsOutRoutes: BrightpearlRouteModule = (app, { state }) => {
  // Response: the new note ids as an array (one per warehouses[] entry). The reference leaves the
  // shape unverified; one client iterates it as an array.
  app.post<{ Params: { orderIds: string } }>('/warehouse-service/order/:orderIds/goods-note/goods-out', async (request, reply) =>
    sendResponse(reply, createGoodsOutNotes(state, pathId(request.params.orderIds, 'order'), request.body)),
  );

  /** Map note id → note. `*` = any order, and then the note ids are required. */
  const read = async (request: { params: NoteGetParams['Params'] }, reply: FastifyReply) => {
    const { orderIds, noteIds = '' } = request.params;
    const orderSet = orderIds === '*' ? undefined : cappedIdSet(orderIds, GOODS_OUT_MAX_IDS, 'order');
    const noteSet = noteIds === '' ? undefined : cappedIdSet(noteIds, GOODS_OUT_MAX_IDS, 'goods-out note');
    if (!orderSet && !noteSet) throw new BrightpearlApiError(400, ERROR_CODES.BAD_REQUEST, 'Name the goods-out note ids when the order ID set is *');
    const candidates = noteSet ? selectByIdSet(noteSet, state.goodsOutNotes) : [...state.goodsOutNotes.values()].sort((a, b) => a.id - b.id);
    const notes = orderSet ? candidates.filter((n) => idSetContains(orderSet, n.orderId)) : candidates;
    // None found: an empty map.
    return sendResponse(reply, Object.fromEntries(notes.map((n) => [String(n.id), goodsOutNoteView(n)])));
  };
  app.get<NoteGetParams>('/warehouse-service/order/:orderIds/goods-note/goods-out', read);
  app.get<NoteGetParams>('/warehouse-service/order/:orderIds/goods-note/goods-out/', read);
  app.get<NoteGetParams>('/warehouse-service/order/:orderIds/goods-note/goods-out/:noteIds', read);

  app.get<{ Querystring: SearchQuery }>('/warehouse-service/goods-note/goods-out-search', async (request, reply) =>
    sendSearch(reply, runSearch(GOODS_OUT_SEARCH, state.goodsOutNotes.values(), request.query)),
  );

  app.put<IdParams>('/warehouse-service/goods-note/goods-out/:id', async (request, reply) => {
    updateGoodsOutNote(state, pathId(request.params.id, 'goods-out note'), request.body);
    return sendEmpty(reply);
  });

  app.post<IdParams>('/warehouse-service/goods-note/goods-out/:id/event', async (request, reply) => {
    const ifMatch = request.headers['if-match'];
    postGoodsOutEvents(state, pathId(request.params.id, 'goods-out note'), request.body, Array.isArray(ifMatch) ? ifMatch[0] : ifMatch);
    return sendEmpty(reply);
  });
};
