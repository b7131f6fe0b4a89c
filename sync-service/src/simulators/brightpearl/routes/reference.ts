/** Reference data: order statuses and types, channels, shipping methods, tax codes, payment methods, nominal codes. */
import { parseIdSet } from '../../../brightpearl/idset';
import { selectByIdSet } from '../data';
import { sendResponse, sendSearch, type BrightpearlRouteModule } from '../envelope';
import {
  channelView,
  orderStatusView,
  shippingMethodView,
  taxCodeView,
  type SimNominalCode,
  type SimPaymentMethod,
  type SimShippingMethod,
} from '../reference';
import { runSearch, type SearchDefinition, type SearchQuery } from '../search';
import type { IdSetParams } from './params';

/** Column names are the simulator's: the reference names the path, not its columns. */
export const PAYMENT_METHOD_SEARCH: SearchDefinition<SimPaymentMethod> = {
  defaultSort: 'id',
  columns: [
    { name: 'id', reportDataType: 'IDSET', value: (m) => m.id },
    { name: 'code', reportDataType: 'STRING', value: (m) => m.code },
    { name: 'name', reportDataType: 'SEARCH_STRING', value: (m) => m.name },
    { name: 'bankAccountNominalCode', reportDataType: 'STRING', value: (m) => m.bankAccountNominalCode ?? null },
    { name: 'isActive', reportDataType: 'BOOLEAN', value: (m) => m.isActive },
  ],
};

export const NOMINAL_CODE_SEARCH: SearchDefinition<SimNominalCode> = {
  defaultSort: 'id',
  columns: [
    { name: 'id', reportDataType: 'IDSET', value: (n) => n.id },
    { name: 'code', reportDataType: 'STRING', value: (n) => n.code },
    { name: 'name', reportDataType: 'SEARCH_STRING', value: (n) => n.name },
    { name: 'type', reportDataType: 'STRING', value: (n) => n.type },
  ],
};

export const SHIPPING_METHOD_SEARCH: SearchDefinition<SimShippingMethod> = {
  defaultSort: 'id',
  columns: [
    { name: 'id', reportDataType: 'IDSET', value: (m) => m.id },
    { name: 'name', reportDataType: 'SEARCH_STRING', value: (m) => m.name },
    { name: 'code', reportDataType: 'STRING', value: (m) => m.code },
    { name: 'methodType', reportDataType: 'INTEGER', value: (m) => m.methodType },
    { name: 'carrier', reportDataType: 'STRING', value: (m) => m.carrier ?? null },
  ],
};

export const referenceRoutes: BrightpearlRouteModule = (app, { state }) => {
  const ref = state.reference;
  const byId = <T>(records: T[], id: (r: T) => number) => new Map(records.map((r) => [id(r), r]));

  app.get('/order-service/order-status', async (_request, reply) => sendResponse(reply, ref.orderStatuses.map(orderStatusView)));
  app.get<IdSetParams>('/order-service/order-status/:idSet', async (request, reply) =>
    sendResponse(
      reply,
      selectByIdSet(
        parseIdSet(request.params.idSet),
        byId(ref.orderStatuses, (s) => s.statusId),
      ).map(orderStatusView),
    ),
  );
  app.get('/order-service/order-type', async (_request, reply) =>
    sendResponse(
      reply,
      ref.orderTypes.map((t) => ({ ...t })),
    ),
  );
  app.get('/order-service/order-shipping-status', async (_request, reply) =>
    sendResponse(
      reply,
      ref.shippingStatuses.map((c) => ({ ...c })),
    ),
  );

  app.get('/product-service/channel', async (_request, reply) => sendResponse(reply, ref.channels.map(channelView)));
  app.get<IdSetParams>('/product-service/channel/:idSet', async (request, reply) =>
    sendResponse(
      reply,
      selectByIdSet(
        parseIdSet(request.params.idSet),
        byId(ref.channels, (c) => c.id),
      ).map(channelView),
    ),
  );

  app.get('/warehouse-service/shipping-method', async (_request, reply) => sendResponse(reply, ref.shippingMethods.map(shippingMethodView)));
  app.get<IdSetParams>('/warehouse-service/shipping-method/:idSet', async (request, reply) =>
    sendResponse(
      reply,
      selectByIdSet(
        parseIdSet(request.params.idSet),
        byId(ref.shippingMethods, (m) => m.id),
      ).map(shippingMethodView),
    ),
  );
  app.get<{ Querystring: SearchQuery }>('/warehouse-service/shipping-method-search', async (request, reply) =>
    sendSearch(reply, runSearch(SHIPPING_METHOD_SEARCH, ref.shippingMethods, request.query)),
  );

  app.get('/accounting-service/tax-code', async (_request, reply) => sendResponse(reply, ref.taxCodes.map(taxCodeView)));
  app.get<IdSetParams>('/accounting-service/tax-code/:idSet', async (request, reply) =>
    sendResponse(
      reply,
      selectByIdSet(
        parseIdSet(request.params.idSet),
        byId(ref.taxCodes, (t) => t.id),
      ).map(taxCodeView),
    ),
  );
  app.get<{ Querystring: SearchQuery }>('/accounting-service/payment-method-search', async (request, reply) =>
    sendSearch(reply, runSearch(PAYMENT_METHOD_SEARCH, ref.paymentMethods, request.query)),
  );
  app.get<{ Querystring: SearchQuery }>('/accounting-service/nominal-code-search', async (request, reply) =>
    sendSearch(reply, runSearch(NOMINAL_CODE_SEARCH, ref.nominalCodes, request.query)),
  );
};
