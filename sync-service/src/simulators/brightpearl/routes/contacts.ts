/** contact-service: contact search, contacts and postal addresses. */
import { parseIdSet } from '../../../brightpearl/idset';
import { selectByIdSet } from '../data';
import { notFound, sendResponse, sendSearch, type BrightpearlRouteModule } from '../envelope';
import { cappedIdSet } from '../idsets';
import { CONTACT_SEARCH, contactView, createContact, createPostalAddress, postalAddressView } from '../sales';
import { runSearch, type SearchQuery } from '../search';
import type { IdSetParams } from './params';

export const CONTACT_GET_MAX_IDS = 200;

export const contactRoutes: BrightpearlRouteModule = (app, { state }) => {
  app.get<{ Querystring: SearchQuery }>('/contact-service/contact-search', async (request, reply) =>
    sendSearch(reply, runSearch(CONTACT_SEARCH, state.contacts.values(), request.query)),
  );

  app.get<IdSetParams>('/contact-service/contact/:idSet', async (request, reply) => {
    const set = cappedIdSet(request.params.idSet, CONTACT_GET_MAX_IDS, 'contact');
    const contacts = selectByIdSet(set, state.contacts);
    // Observed: a missing contact is a 404 CMNC-404 (unlike orders, which answer 200 []).
    if (contacts.length === 0) throw notFound(`No contact found for ${request.params.idSet}`);
    return sendResponse(reply, contacts.map(contactView));
  });

  app.post('/contact-service/contact', async (request, reply) => sendResponse(reply, createContact(state, request.body)));

  app.post('/contact-service/postal-address', async (request, reply) => sendResponse(reply, createPostalAddress(state, request.body)));

  app.get<IdSetParams>('/contact-service/postal-address/:idSet', async (request, reply) => {
    const addresses = selectByIdSet(parseIdSet(request.params.idSet), state.postalAddresses);
    if (addresses.length === 0) throw notFound(`No postal address found for ${request.params.idSet}`);
    return sendResponse(reply, addresses.map(postalAddressView));
  });
};
