/**
 * /wc/v3/settings/products/{id} for the store options the stock sync depends on, so a client can
 * check "Manage stock" (and tests can switch it off) the way it would on a real store.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { requireAuth } from './auth';
import { isRecord } from './collection';
import type { WooCommerceState } from './data';
import { WooRestError } from './errors';

const API = '/wp-json/wc/v3';

interface SettingDefinition {
  label: string;
  description: string;
  type: 'checkbox' | 'number';
  default: string;
  read: (state: WooCommerceState) => string;
  write: (state: WooCommerceState, value: string) => boolean;
}

const SETTINGS: Record<string, SettingDefinition> = {
  woocommerce_manage_stock: {
    label: 'Manage stock',
    description: 'Enable stock management',
    type: 'checkbox',
    default: 'yes',
    read: (s) => s.options.woocommerce_manage_stock,
    write: (s, v) => {
      if (v !== 'yes' && v !== 'no') return false;
      s.options.woocommerce_manage_stock = v;
      return true;
    },
  },
  woocommerce_notify_no_stock_amount: {
    label: 'Out of stock threshold',
    description: 'When product stock reaches this amount the stock status will change to "out of stock" and you will be notified via email.',
    type: 'number',
    default: '0',
    read: (s) => String(s.options.woocommerce_notify_no_stock_amount),
    write: (s, v) => {
      if (!/^\d+$/.test(v)) return false;
      s.options.woocommerce_notify_no_stock_amount = Number(v);
      return true;
    },
  },
};

const invalidSetting = () => new WooRestError('rest_setting_setting_invalid', 'Invalid setting.', 404);

function render(id: string, def: SettingDefinition, state: WooCommerceState) {
  return { id, label: def.label, description: def.description, type: def.type, default: def.default, tip: '', value: def.read(state), group_id: 'products' };
}

export function registerSettingsRoutes(app: FastifyInstance, state: WooCommerceState): void {
  app.get(`${API}/settings/products/:id`, async (request) => {
    requireAuth(request, 'view');
    const id = (request.params as { id: string }).id;
    const def = SETTINGS[id];
    if (!def) throw invalidSetting();
    return render(id, def, state);
  });

  const update = async (request: FastifyRequest) => {
    requireAuth(request, 'edit');
    const id = (request.params as { id: string }).id;
    const def = SETTINGS[id];
    if (!def) throw invalidSetting();
    const value = isRecord(request.body) ? request.body.value : undefined;
    if (value === undefined || !def.write(state, String(value))) {
      throw new WooRestError('rest_setting_value_invalid', 'An invalid setting value was passed.', 400);
    }
    return render(id, def, state);
  };
  app.put(`${API}/settings/products/:id`, update);
  app.post(`${API}/settings/products/:id`, update);
}
