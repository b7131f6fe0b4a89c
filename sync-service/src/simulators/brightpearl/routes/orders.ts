/**
 * order-service: sales orders (flat), orders (legacy nested), sales credits, order search,
 * status updates and notes.
 */
import type { FastifyReply } from 'fastify';
import { chunkIds, formatIdSet, parseIdSet } from '../../../brightpearl/idset';
import { selectByIdSet } from '../data';
import { notFound, sendEmpty, sendResponse, sendSearch, type BrightpearlRouteModule } from '../envelope';
import { cappedIdSet } from '../idsets';
import {
  addOrderNote,
  changeOrderStatus,
  closeCredit,
  createOrder,
  flatOrderView,
  legacyOrderView,
  orderNoteView,
  orderSearch,
  requireOrder,
  salesOrderSearch,
  type OrderTypeCode,
} from '../sales';
import { runSearch, type SearchQuery } from '../search';
import { distinctIds, nonEmpty, pathId, type IdParams, type IdSetParams } from './params';

export const ORDER_GET_MAX_IDS = 200;

export const orderRoutes: BrightpearlRouteModule = (app, { state }) => {
  const ofType = (type: OrderTypeCode, text: string) => {
    const set = nonEmpty(cappedIdSet(text, ORDER_GET_MAX_IDS, type === 'SO' ? 'sales order' : 'sales credit'), text);
    return { set, orders: selectByIdSet(set, state.orders).filter((o) => o.orderTypeCode === type) };
  };

  /**
   * Flat GETs: 200 when every id was found, 207 when only some were (documented for
   * sales-credit; the simulator does the same for sales-order), 404 CMNC-404 when none.
   */
  const flatGet = (type: OrderTypeCode) => async (request: { params: { idSet: string } }, reply: FastifyReply) => {
    const { set, orders } = ofType(type, request.params.idSet);
    if (orders.length === 0) throw notFound(`No ${type === 'SO' ? 'sales order' : 'sales credit'} found for ${request.params.idSet}`);
    const status = orders.length < distinctIds(set) ? 207 : 200;
    return sendResponse(
      reply,
      orders.map((o) => flatOrderView(state, o)),
      status,
    );
  };

  const optionsFor = (type: OrderTypeCode, resource: string) => async (request: { params: { idSet: string } }, reply: FastifyReply) => {
    const ids = selectByIdSet(parseIdSet(request.params.idSet), state.orders)
      .filter((o) => o.orderTypeCode === type)
      .map((o) => o.id);
    return sendResponse(reply, { getUris: chunkIds(ids, ORDER_GET_MAX_IDS).map((chunk) => `/${resource}/${formatIdSet(chunk)}`) });
  };

  // Sales orders
  app.post('/order-service/sales-order', async (request, reply) => sendResponse(reply, createOrder(state, 'SO', request.body).id));
  app.get<IdSetParams>('/order-service/sales-order/:idSet', flatGet('SO'));
  app.options<IdSetParams>('/order-service/sales-order/:idSet', optionsFor('SO', 'sales-order'));
  app.get<{ Querystring: SearchQuery }>('/order-service/sales-order-search', async (request, reply) =>
    sendSearch(
      reply,
      runSearch(
        salesOrderSearch(state),
        [...state.orders.values()].filter((o) => o.orderTypeCode === 'SO'),
        request.query,
      ),
    ),
  );

  // Sales credits
  app.post('/order-service/sales-credit', async (request, reply) => sendResponse(reply, createOrder(state, 'SC', request.body).id));
  app.get<IdSetParams>('/order-service/sales-credit/:idSet', flatGet('SC'));
  app.options<IdSetParams>('/order-service/sales-credit/:idSet', optionsFor('SC', 'sales-credit'));
  app.post<IdParams>('/order-service/sales-credit/:id/close', async (request, reply) => {
    closeCredit(state, pathId(request.params.id, 'sales credit'), request.body ?? {});
    return sendEmpty(reply);
  });

  // Orders of any type, legacy nested shape. Missing ids: 200 {"response":[]} (observed).
  app.get<IdSetParams>('/order-service/order/:idSet', async (request, reply) => {
    const set = cappedIdSet(request.params.idSet, ORDER_GET_MAX_IDS, 'order');
    return sendResponse(
      reply,
      selectByIdSet(set, state.orders).map((o) => legacyOrderView(state, o)),
    );
  });
  app.get<{ Querystring: SearchQuery }>('/order-service/order-search', async (request, reply) =>
    sendSearch(reply, runSearch(orderSearch(state), state.orders.values(), request.query)),
  );

  app.put<IdParams>('/order-service/order/:id/status', async (request, reply) => {
    changeOrderStatus(state, pathId(request.params.id, 'order'), request.body);
    return sendEmpty(reply);
  });

  app.post<IdParams>('/order-service/order/:id/note', async (request, reply) =>
    sendResponse(reply, addOrderNote(state, pathId(request.params.id, 'order'), request.body)),
  );
  app.get<IdParams>('/order-service/order/:id/note', async (request, reply) => {
    const order = requireOrder(state, pathId(request.params.id, 'order'));
    return sendResponse(reply, order.notes.map(orderNoteView));
  });
};
