/** warehouse-service: warehouses, warehouse search, product availability. */
import { MAX_BRIGHTPEARL_ID, parseIdSet } from '../../../brightpearl/idset';
import { availabilityView, selectByIdSet, warehouseView, type SimWarehouse } from '../data';
import { BrightpearlApiError, ERROR_CODES, sendResponse, type BrightpearlRouteModule } from '../envelope';
import { MAX_IDSET_TEXT_LENGTH } from '../idsets';
import { runSearch, type SearchDefinition, type SearchQuery } from '../search';

type IdSetParams = { Params: { idSet: string } };

/** Column names are a guess: the reference lists the path but not its columns. */
export const WAREHOUSE_SEARCH: SearchDefinition<SimWarehouse> = {
  defaultSort: 'warehouseId',
  columns: [
    { name: 'warehouseId', reportDataType: 'IDSET', value: (w) => w.id },
    { name: 'name', reportDataType: 'SEARCH_STRING', value: (w) => w.name },
    { name: 'typeCode', reportDataType: 'STRING', value: (w) => w.typeCode },
  ],
};

export const warehouseRoutes: BrightpearlRouteModule = (app, { state }) => {
  const warehousesById = () => new Map(state.warehouses.map((w) => [w.id, w]));

  app.get('/warehouse-service/warehouse', async (_request, reply) => sendResponse(reply, state.warehouses.map(warehouseView)));

  app.get<IdSetParams>('/warehouse-service/warehouse/:idSet', async (request, reply) =>
    sendResponse(reply, selectByIdSet(parseIdSet(request.params.idSet), warehousesById()).map(warehouseView)),
  );

  app.get<{ Querystring: SearchQuery }>('/warehouse-service/warehouse-search', async (request, reply) => {
    const result = runSearch(WAREHOUSE_SEARCH, state.warehouses, request.query);
    return reply.code(200).type('application/json;charset=UTF-8').send(result);
  });

  app.get<IdSetParams>('/warehouse-service/product-availability/:idSet', async (request, reply) => {
    const text = request.params.idSet;
    if (text.length > MAX_IDSET_TEXT_LENGTH) throw new BrightpearlApiError(414, ERROR_CODES.BAD_REQUEST, 'Request-URI Too Long');
    const set = parseIdSet(text);
    // Unlike other GETs, one bad id fails the whole request here (observed).
    if (set.invalid.length > 0) {
      throw new BrightpearlApiError(
        400,
        ERROR_CODES.BAD_REQUEST,
        `Invalid product id ${set.invalid[0] as string}: ids must be whole numbers between 1 and ${MAX_BRIGHTPEARL_ID}`,
      );
    }
    const products = selectByIdSet(set, state.products);
    const refused = [...state.availabilityRejected].find((id) => set.ranges.some((r) => id >= r.from && id <= r.to));
    if (refused !== undefined) throw new BrightpearlApiError(400, ERROR_CODES.BAD_REQUEST, `Product ${refused} cannot be queried for availability`);
    const response: Record<string, unknown> = {};
    for (const product of products) {
      const view = availabilityView(state, product);
      if (view) response[String(product.id)] = view;
    }
    return sendResponse(reply, response);
  });
};
