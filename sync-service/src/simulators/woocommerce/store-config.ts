/**
 * GET /payment_gateways and /shipping_methods: what the store is set up with, read by the
 * service for the mappings editor. Matches the gateways and methods the seeded orders use.
 */
import type { FastifyInstance } from 'fastify';
import { requireAuth } from './auth';

const API = '/wp-json/wc/v3';

export const PAYMENT_GATEWAYS = [
  { id: 'stripe', title: 'Credit card (Stripe)', method_title: 'Stripe', enabled: true, supports: ['products', 'refunds'] },
  { id: 'bacs', title: 'Direct bank transfer', method_title: 'Direct bank transfer', enabled: true, supports: ['products'] },
  { id: 'cod', title: 'Cash on delivery', method_title: 'Cash on delivery', enabled: true, supports: ['products'] },
  { id: 'cheque', title: 'Check payments', method_title: 'Check payments', enabled: false, supports: ['products'] },
];

export const SHIPPING_METHODS = [
  { id: 'flat_rate', title: 'Flat rate', description: 'Lets you charge a fixed rate for shipping.' },
  { id: 'free_shipping', title: 'Free shipping', description: 'Free shipping is a special method which can be triggered with coupons and minimum spends.' },
  { id: 'local_pickup', title: 'Local pickup', description: 'Allow customers to pick up orders themselves.' },
];

export function registerStoreConfigRoutes(app: FastifyInstance): void {
  app.get(`${API}/payment_gateways`, async (request) => {
    requireAuth(request, 'view');
    return PAYMENT_GATEWAYS.map((g, order) => ({
      id: g.id,
      title: g.title,
      description: '',
      order,
      enabled: g.enabled,
      method_title: g.method_title,
      method_description: '',
      method_supports: g.supports,
      settings: {},
    }));
  });
  app.get(`${API}/shipping_methods`, async (request) => {
    requireAuth(request, 'view');
    return SHIPPING_METHODS;
  });
}
