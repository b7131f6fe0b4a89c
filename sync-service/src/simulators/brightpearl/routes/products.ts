/** product-service: products, product search, price lists, product prices. */
import { chunkIds, formatIdSet, parseIdSet } from '../../../brightpearl/idset';
import { isoDate, productPriceView, productView, priceListView, selectByIdSet, type SimProduct } from '../data';
import { sendResponse, type BrightpearlRouteModule } from '../envelope';
import { cappedIdSet } from '../idsets';
import { runSearch, type SearchDefinition, type SearchQuery } from '../search';

export const PRODUCT_GET_MAX_IDS = 200;
export const PRODUCT_PRICE_GET_MAX_IDS = 200;

type IdSetParams = { Params: { idSet: string } };

export const PRODUCT_SEARCH: SearchDefinition<SimProduct> = {
  defaultSort: 'productId',
  columns: [
    { name: 'productId', reportDataType: 'IDSET', referenceData: ['productCategoryMembership'], value: (p) => p.id },
    { name: 'productName', reportDataType: 'SEARCH_STRING', value: (p) => p.name },
    { name: 'SKU', reportDataType: 'STRING', value: (p) => p.sku },
    { name: 'barcode', reportDataType: 'STRING', value: () => null },
    { name: 'EAN', reportDataType: 'STRING', value: () => null },
    { name: 'UPC', reportDataType: 'STRING', value: () => null },
    { name: 'ISBN', reportDataType: 'STRING', value: () => null },
    { name: 'MPN', reportDataType: 'STRING', value: () => null },
    { name: 'stockTracked', reportDataType: 'BOOLEAN', value: (p) => p.stockTracked },
    { name: 'salesChannelName', reportDataType: 'STRING', filterable: false, value: () => 'Brightpearl' },
    { name: 'createdOn', reportDataType: 'PERIOD', value: (p) => isoDate(p.createdOn) },
    { name: 'updatedOn', reportDataType: 'PERIOD', value: (p) => isoDate(p.updatedOn) },
    { name: 'brightpearlCategoryCode', reportDataType: 'IDSET', sortable: false, value: (p) => p.categoryCode },
    { name: 'productGroupId', reportDataType: 'INTEGER', value: (p) => p.productGroupId },
    { name: 'brandId', reportDataType: 'INTEGER', value: (p) => p.brandId },
    { name: 'productTypeId', reportDataType: 'INTEGER', value: (p) => p.productTypeId },
    { name: 'productStatus', reportDataType: 'STRING', value: (p) => p.status },
    { name: 'primarySupplierId', reportDataType: 'INTEGER', value: () => null },
  ],
  reference: (key, products) =>
    key === 'productCategoryMembership' ? Object.fromEntries(products.map((p) => [String(p.id), [p.categoryCode]])) : {},
};

/** OPTIONS answer: the fewest GET URIs (existing ids only) that respect the per-request cap. */
function getUris(resource: string, ids: number[], maxIds: number): string[] {
  return chunkIds(ids, maxIds).map((chunk) => `/${resource}/${formatIdSet(chunk)}`);
}

export const productRoutes: BrightpearlRouteModule = (app, { state }) => {
  app.get<IdSetParams>('/product-service/product/:idSet', async (request, reply) => {
    const set = cappedIdSet(request.params.idSet, PRODUCT_GET_MAX_IDS, 'product');
    // None found: 200 with an empty list (the order-GET form in the reference), not a 404.
    return sendResponse(reply, selectByIdSet(set, state.products).map(productView));
  });

  app.options<IdSetParams>('/product-service/product/:idSet', async (request, reply) => {
    const ids = selectByIdSet(parseIdSet(request.params.idSet), state.products).map((p) => p.id);
    return sendResponse(reply, { getUris: getUris('product', ids, PRODUCT_GET_MAX_IDS) });
  });

  app.get<{ Querystring: SearchQuery }>('/product-service/product-search', async (request, reply) => {
    const result = runSearch(PRODUCT_SEARCH, state.products.values(), request.query);
    return reply.code(200).type('application/json;charset=UTF-8').send(result);
  });

  app.get('/product-service/price-list', async (_request, reply) => sendResponse(reply, state.priceLists.map(priceListView)));

  app.get<IdSetParams>('/product-service/price-list/:idSet', async (request, reply) => {
    const set = parseIdSet(request.params.idSet);
    const byId = new Map(state.priceLists.map((l) => [l.id, l]));
    return sendResponse(reply, selectByIdSet(set, byId).map(priceListView));
  });

  app.get<IdSetParams>('/product-service/product-price/:idSet', async (request, reply) => {
    const set = cappedIdSet(request.params.idSet, PRODUCT_PRICE_GET_MAX_IDS, 'product');
    return sendResponse(reply, selectByIdSet(set, state.products).map((p) => productPriceView(state, p)));
  });

  app.get<{ Params: { idSet: string; priceListIdSet: string } }>(
    '/product-service/product-price/:idSet/price-list/:priceListIdSet',
    async (request, reply) => {
      const set = cappedIdSet(request.params.idSet, PRODUCT_PRICE_GET_MAX_IDS, 'product');
      const lists = parseIdSet(request.params.priceListIdSet);
      return sendResponse(reply, selectByIdSet(set, state.products).map((p) => productPriceView(state, p, lists)));
    },
  );

  app.options<IdSetParams>('/product-service/product-price/:idSet', async (request, reply) => {
    const ids = selectByIdSet(parseIdSet(request.params.idSet), state.products).map((p) => p.id);
    return sendResponse(reply, { getUris: getUris('product-price', ids, PRODUCT_PRICE_GET_MAX_IDS) });
  });
};
