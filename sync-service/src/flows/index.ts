/** The flows this version ships, built from configuration and the two clients. */
import type { BrightpearlClient } from '../brightpearl/client';
import type { SyncType } from '../domain/constants';
import type { Flow } from '../engine/flow';
import type { Mappings } from '../settings/mappings';
import type { WooCommerceClient } from '../woocommerce/client';
import { InventoryFlow } from './inventory';
import { OrderFlow } from './order';
import { ProductFlow } from './product';
import { RefundFlow } from './refund';
import { ShipmentFlow } from './shipment';

export interface FlowDependencies {
  brightpearl: BrightpearlClient;
  woocommerce: WooCommerceClient;
  inventoryWarehouseIds: () => number[];
  /** The store owner's saved mappings (read at use, so a change applies without a restart). */
  mappings: () => Mappings;
  /** Brightpearl `installedIntegrationInstanceId`, sent with orders and credits when known. */
  integrationInstanceId?: number;
}

export function buildFlows(deps: FlowDependencies): Partial<Record<SyncType, Flow>> {
  return {
    inventory: new InventoryFlow({ brightpearl: deps.brightpearl, woocommerce: deps.woocommerce, warehouseIds: deps.inventoryWarehouseIds }),
    product: new ProductFlow({ brightpearl: deps.brightpearl, woocommerce: deps.woocommerce, mappings: deps.mappings }),
    order: new OrderFlow({ brightpearl: deps.brightpearl, woocommerce: deps.woocommerce, mappings: deps.mappings, integrationInstanceId: deps.integrationInstanceId }),
    refund: new RefundFlow({ woocommerce: deps.woocommerce, brightpearl: deps.brightpearl, mappings: deps.mappings, integrationInstanceId: deps.integrationInstanceId }),
    shipment: new ShipmentFlow({ brightpearl: deps.brightpearl, woocommerce: deps.woocommerce }),
  };
}
