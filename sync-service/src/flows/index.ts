/** The flows this version ships, built from configuration and the two clients. */
import type { SyncType } from '../domain/constants';
import type { Flow } from '../engine/flow';
import { InventoryFlow, type InventorySource, type InventoryTarget } from './inventory';

export interface FlowDependencies {
  brightpearl: InventorySource;
  woocommerce: InventoryTarget;
  inventoryWarehouseIds: () => number[];
}

export function buildFlows(deps: FlowDependencies): Partial<Record<SyncType, Flow>> {
  return {
    inventory: new InventoryFlow({ brightpearl: deps.brightpearl, woocommerce: deps.woocommerce, warehouseIds: deps.inventoryWarehouseIds }),
  };
}
