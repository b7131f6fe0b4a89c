/** accounting-service: customer payments and their search. */
import { sendResponse, sendSearch, type BrightpearlRouteModule } from '../envelope';
import { createPayment, PAYMENT_SEARCH } from '../sales';
import { runSearch, type SearchQuery } from '../search';

export const paymentRoutes: BrightpearlRouteModule = (app, { state }) => {
  app.post('/accounting-service/customer-payment', async (request, reply) => sendResponse(reply, createPayment(state, request.body).id));

  app.get<{ Querystring: SearchQuery }>('/accounting-service/customer-payment-search', async (request, reply) =>
    sendSearch(reply, runSearch(PAYMENT_SEARCH, state.payments.values(), request.query)),
  );
};
