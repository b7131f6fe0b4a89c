/**
 * Order notes (§5.4): GET/POST /orders/{id}/notes (not paginated; type=any|customer|internal) and
 * GET/DELETE /orders/{id}/notes/{note_id}. `added_by_user: true` attributes the note to the key's
 * user; other notes are WooCommerce's own and read back with author "system".
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { homeUrl, requireAuth } from './auth';
import { readerFor } from './collection';
import type { WooCommerceState } from './data';
import { WooRestError } from './errors';
import type { NoteRecord, OrderRecord } from './order-model';
import type { OrderOperations } from './order-ops';
import { renderNote } from './order-render';
import { API, apiUrl, BodyReader, idParam, sendJson } from './route-helpers';

export interface NoteRoutesContext {
  state: WooCommerceState;
  ops: OrderOperations;
  assumeHttps: boolean;
}

const invalidOrder = (): WooRestError => new WooRestError('woocommerce_rest_order_invalid_id', 'Invalid order ID.', 404);
const invalidNote = (): WooRestError => new WooRestError('woocommerce_rest_invalid_id', 'Invalid resource ID.', 404);

export function registerNoteRoutes(app: FastifyInstance, ctx: NoteRoutesContext): void {
  const { state, ops } = ctx;
  const home = (request: FastifyRequest) => homeUrl(request, ctx.assumeHttps);
  const orderFor = (request: FastifyRequest): OrderRecord => {
    const order = state.orders.get(idParam(request, 'id'));
    if (!order) throw invalidOrder();
    return order;
  };
  const noteOf = (order: OrderRecord, request: FastifyRequest): NoteRecord => {
    const id = idParam(request, 'noteId');
    const note = order.notes.find((n) => n.id === id);
    if (!note) throw invalidNote();
    return note;
  };

  app.get(`${API}/orders/:id/notes`, async (request, reply) => {
    const r = readerFor(request);
    const type = r.oneOf('type', ['any', 'customer', 'internal'] as const) ?? 'any';
    r.errors.throwIfAny();
    requireAuth(request, 'list');
    const order = orderFor(request);
    const notes = order.notes
      .filter((n) => type === 'any' || (type === 'customer') === n.customerNote)
      .sort((a, b) => b.created - a.created || b.id - a.id)
      .map((n) => renderNote(state, order.id, n, home(request)));
    return sendJson(reply, 200, notes);
  });

  app.post(`${API}/orders/:id/notes`, async (request, reply) => {
    const b = new BodyReader(request.body);
    b.required(['note']);
    const text = b.string('note') ?? '';
    const customerNote = b.bool('customer_note') ?? false;
    const addedByUser = b.bool('added_by_user') ?? false;
    b.errors.throwIfAny();
    const user = requireAuth(request, 'create');
    const order = orderFor(request);
    if (text.trim() === '') throw new WooRestError('woocommerce_rest_shop_order_note_invalid', 'Cannot create order note, please try again.', 500);
    const note = ops.addNote(order, text, { user, customerNote, addedByUser });
    return sendJson(reply, 201, renderNote(state, order.id, note, home(request)), { location: apiUrl(home(request), `orders/${order.id}/notes/${note.id}`) });
  });

  app.get(`${API}/orders/:id/notes/:noteId`, async (request, reply) => {
    requireAuth(request, 'view');
    const order = orderFor(request);
    return sendJson(reply, 200, renderNote(state, order.id, noteOf(order, request), home(request)));
  });

  app.delete(`${API}/orders/:id/notes/:noteId`, async (request, reply) => {
    const force = readerFor(request).bool('force') ?? false;
    requireAuth(request, 'delete');
    const order = orderFor(request);
    const note = noteOf(order, request);
    if (!force) throw new WooRestError('woocommerce_rest_trash_not_supported', 'Order notes do not support trashing.', 501);
    order.notes = order.notes.filter((n) => n !== note);
    return sendJson(reply, 200, renderNote(state, order.id, note, home(request)));
  });
}
