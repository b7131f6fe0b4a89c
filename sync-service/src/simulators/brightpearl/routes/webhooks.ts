/** integration-service: webhook subscriptions (delivery lives in ../webhooks.ts). */
import { parseIdSet } from '../../../brightpearl/idset';
import { selectByIdSet } from '../data';
import { sendEmpty, sendResponse, type BrightpearlRouteModule } from '../envelope';
import { createWebhook, deleteWebhook, webhookView } from '../webhooks';
import { pathId, type IdParams, type IdSetParams } from './params';

export const webhookRoutes: BrightpearlRouteModule = (app, { state, webhooks }) => {
  app.post('/integration-service/webhook', async (request, reply) => sendResponse(reply, createWebhook(state, request.body)));

  // Every hook on the account, other integrations' included.
  app.get('/integration-service/webhook', async (_request, reply) => sendResponse(reply, [...state.webhooks.values()].map(webhookView)));

  app.get<IdSetParams>('/integration-service/webhook/:idSet', async (request, reply) =>
    sendResponse(reply, selectByIdSet(parseIdSet(request.params.idSet), state.webhooks).map(webhookView)),
  );

  app.delete<IdParams>('/integration-service/webhook/:id', async (request, reply) => {
    deleteWebhook(state, pathId(request.params.id, 'webhook'));
    return sendEmpty(reply);
  });

  app.post<IdParams>('/integration-service/webhook/:id/simulate', async (request, reply) => {
    webhooks.simulate(pathId(request.params.id, 'webhook'), request.body);
    return sendEmpty(reply);
  });
};
