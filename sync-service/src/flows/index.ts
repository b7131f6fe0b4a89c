/** The flows this version ships, built from configuration and the two clients. */
import type { SyncType } from '../domain/constants';
import type { Flow } from '../engine/flow';
import type { Mappings } from '../settings/mappings';
import { InventoryFlow, type InventorySource, type InventoryTarget } from './inventory';
import { ProductFlow, type ProductSource, type ProductTarget } from './product';

export interface FlowDependencies {
  brightpearl: InventorySource & ProductSource;
  woocommerce: InventoryTarget & ProductTarget;
  inventoryWarehouseIds: () => number[];
  /** The store owner's saved mappings (read at use, so a change applies without a restart). */
  mappings: () => Mappings;
}

export function buildFlows(deps: FlowDependencies): Partial<Record<SyncType, Flow>> {
  return {
    inventory: new InventoryFlow({ brightpearl: deps.brightpearl, woocommerce: deps.woocommerce, warehouseIds: deps.inventoryWarehouseIds }),
    product: new ProductFlow({ brightpearl: deps.brightpearl, woocommerce: deps.woocommerce, mappings: deps.mappings }),
  };
}
