/**
 * Mappings between Brightpearl and WooCommerce that a store owner edits on the Settings tab.
 * Ids on the Brightpearl side are per account, so they are chosen from reference data, never guessed.
 */
import { z } from 'zod';

/** WooCommerce order status slugs (core ones plus plugin-registered custom statuses). */
const wcStatus = z.string().trim().regex(/^[a-z0-9_-]{1,40}$/, 'must be a WooCommerce status slug such as processing');
const bpId = z.number({ message: 'must be a Brightpearl id (a number)' }).int('must be a whole number').positive('must be positive');

export const MappingsSchema = z
  .object({
    /** Warehouses whose available stock is offered in WooCommerce; empty = all warehouses. */
    inventoryWarehouseIds: z.array(bpId).max(100).default([]),
    /** Price list whose base price becomes the WooCommerce regular price. */
    priceListId: bpId.nullable().default(null),
    /** Sales channel new Brightpearl orders are assigned to. */
    channelId: bpId.nullable().default(null),
    /** Warehouse new Brightpearl orders are fulfilled from. */
    orderWarehouseId: bpId.nullable().default(null),
    /** WooCommerce statuses whose orders are sent to Brightpearl. */
    exportOrderStatuses: z.array(wcStatus).min(1, 'choose at least one status').max(20).default(['processing']),
    orderStatusMap: z
      .object({
        /** WooCommerce status → Brightpearl order status id. */
        toBrightpearl: z.record(wcStatus, bpId).default({}),
        /** Brightpearl order status id → WooCommerce status. */
        toWooCommerce: z
          .record(z.string().regex(/^\d+$/, 'keys must be Brightpearl status ids'), wcStatus)
          .default({})
          .superRefine((map, ctx) => {
            for (const [k, v] of Object.entries(map)) {
              // Setting `refunded` makes WooCommerce create a refund of its own for the whole order.
              if (v === 'refunded') ctx.addIssue({ code: 'custom', path: [k], message: 'cannot be "refunded": WooCommerce would create a refund of its own' });
            }
          }),
      })
      .strict()
      .default({ toBrightpearl: {}, toWooCommerce: {} }),
    /** WooCommerce payment gateway id → Brightpearl payment method code. */
    paymentMethodMap: z.record(z.string().trim().min(1).max(60), z.string().trim().min(1).max(36)).default({}),
    /** WooCommerce shipping method id → Brightpearl shipping method id. */
    shippingMethodMap: z.record(z.string().trim().min(1).max(60), bpId).default({}),
    /** Brightpearl tax code for taxed rows when no better match exists. */
    defaultTaxCode: z.string().trim().min(1).max(20).default('T20'),
    nominalCodes: z
      .object({ sales: z.string().trim().regex(/^\d{3,10}$/, 'must be a nominal code such as 4000').default('4000'), shipping: z.string().trim().regex(/^\d{3,10}$/, 'must be a nominal code such as 4040').default('4040') })
      .strict()
      .default({ sales: '4000', shipping: '4040' }),
  })
  .strict();

export type Mappings = z.infer<typeof MappingsSchema>;

export const DEFAULT_MAPPINGS: Mappings = MappingsSchema.parse({});
