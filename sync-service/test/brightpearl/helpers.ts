/** Shared setup for the Brightpearl order-side tests: a simulator over real HTTP and clients for it. */
import { request } from 'undici';
import { RequestBudget } from '../../src/brightpearl/budget';
import { BrightpearlClient, type BrightpearlAuth, type BrightpearlClientOptions } from '../../src/brightpearl/client';
import type { SalesOrderInput } from '../../src/brightpearl/inputs';
import { HttpError } from '../../src/http/request';
import {
  apiCounterKey,
  createBrightpearlSimulator,
  SIMULATOR_DEFAULTS,
  type BrightpearlSimulator,
  type BrightpearlSimulatorOptions,
} from '../../src/simulators/brightpearl/app';

export const SYSTEM_AUTH: BrightpearlAuth = { kind: 'system', appRef: SIMULATOR_DEFAULTS.appRef, accountToken: SIMULATOR_DEFAULTS.accountToken };
export const FAST_RETRY = { retries: 3, baseDelayMs: 1, maxDelayMs: 5 };
/** The integration instance id the sync sends with orders and credits. */
export const INSTANCE_ID = 27;

export interface TestSim {
  sim: BrightpearlSimulator;
  baseUrl: string;
  client(overrides?: Partial<BrightpearlClientOptions>): BrightpearlClient;
}

export async function startSimulator(options: BrightpearlSimulatorOptions = {}): Promise<TestSim> {
  const sim = await createBrightpearlSimulator({ requestsPerMinute: 100_000, webhookDelayMs: 10, ...options });
  const baseUrl = await sim.listen();
  return {
    sim,
    baseUrl,
    client: (overrides = {}) =>
      new BrightpearlClient({
        baseUrl,
        accountCode: 'demo',
        auth: SYSTEM_AUTH,
        timeoutMs: 5_000,
        retry: FAST_RETRY,
        budget: new RequestBudget(),
        ...overrides,
      }),
  };
}

export function calls(sim: BrightpearlSimulator, method: string, route: string): number {
  return sim.controls.counters.get(apiCounterKey(method, route));
}

export function clearFaults(sim: BrightpearlSimulator): void {
  sim.controls.controls = { ...sim.controls.controls, errorRate: 0, malformedRate: 0, timeoutRate: 0, throttleRate: 0 };
}

export async function rejection(promise: Promise<unknown>): Promise<HttpError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof HttpError) return err;
    throw err;
  }
  throw new Error('expected the call to fail');
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  // Arbitrary API JSON, only ever asserted on.
  json: any;
}

/** A call that bypasses the client, to see exactly what the simulated API answers. */
export async function raw(
  baseUrl: string,
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'OPTIONS',
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<RawResponse> {
  const res = await request(`${baseUrl}/public-api/demo/${path}`, {
    method,
    headers: {
      'brightpearl-app-ref': SIMULATOR_DEFAULTS.appRef,
      'brightpearl-account-token': SIMULATOR_DEFAULTS.accountToken,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.body.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.statusCode, headers: res.headers, json };
}

/** A customer with one postal address, through the client. */
export async function newCustomer(client: BrightpearlClient, email: string, name = 'Ana Silva'): Promise<number> {
  const [firstName = 'Ana', lastName = 'Silva'] = name.split(' ');
  const addressId = await client.createPostalAddress({ addressLine1: '1 High St', addressLine3: 'Leeds', postalCode: 'LS1 1AA', countryIsoCode: 'GB' });
  return client.createContact({
    firstName,
    lastName,
    postAddressIds: { DEF: addressId, BIL: addressId, DEL: addressId },
    communication: { emails: { PRI: { email } }, telephones: { PRI: '+44 20 7946 0000' } },
  });
}

/** Stock-tracked products with at least `min` free in warehouse 2, for predictable orders. */
export function productsWithStock(sim: BrightpearlSimulator, count: number, min = 10): number[] {
  const ids: number[] = [];
  for (const product of sim.state.products.values()) {
    const level = sim.state.stock.get(product.id)?.get(2);
    if (product.stockTracked && level && level.inStock - level.allocated >= min && !sim.state.catalog.quirks.noAvailability.includes(product.id))
      ids.push(product.id);
    if (ids.length === count) break;
  }
  return ids;
}

/** A WooCommerce-style order: product rows (2 and 1 items) plus a shipping row. */
export function wooOrder(customerId: number, productIds: number[], externalRef: string, overrides: Partial<SalesOrderInput> = {}): SalesOrderInput {
  return {
    customer: { id: customerId },
    delivery: {
      shippingMethodId: 2,
      address: { addressFullName: 'Ana Silva', addressLine1: '1 High St', addressLine3: 'Leeds', postalCode: 'LS1 1AA', countryIsoCode: 'GB' },
    },
    ref: `WC-${externalRef}`,
    externalRef,
    installedIntegrationInstanceId: INSTANCE_ID,
    channelId: 3,
    statusId: 2,
    warehouseId: 2,
    placedOn: '2025-03-04T10:22:00+00:00',
    currency: { code: 'GBP' },
    rows: [
      ...productIds.map((productId, i) => ({
        productId,
        quantity: String(i === 0 ? 2 : 1),
        taxCode: 'T20',
        net: i === 0 ? '20.00' : '10.00',
        tax: i === 0 ? '4.00' : '2.00',
        nominalCode: '4000',
        externalRef: `li_${externalRef}_${i}`,
      })),
      { name: 'Shipping: Royal Mail 48', quantity: '1', taxCode: 'T20', net: '3.33', tax: '0.67', nominalCode: '4040' },
    ],
    ...overrides,
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it returns something truthy (or fails after `timeoutMs`). */
export async function eventually<T>(check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 3000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(10);
  }
}
