/**
 * The product catalogue both simulators are seeded from, so SKUs line up between the simulated
 * Brightpearl and the simulated WooCommerce, except for a few deliberately bad records.
 * Deterministic for a seed; scales from the demo's few hundred SKUs to benchmark sizes.
 */
import { pick, randomInt, seededRandom } from './shared/random';

export interface CatalogProduct {
  /** Brightpearl product id. */
  bpId: number;
  sku: string;
  name: string;
  /** Brightpearl productGroupId: 0 for a simple product, else the group shared by its variants. */
  groupId: number;
  /** Set for variants: the option that tells them apart. */
  option?: { optionId: number; optionName: string; optionValueId: number; optionValue: string };
  price: string;
  description: string;
  stockTracked: boolean;
  /** Starting on-hand (available) stock per Brightpearl warehouse id. */
  stock: Record<number, { inStock: number; allocated: number }>;
}

export interface CatalogGroup {
  groupId: number;
  /** WooCommerce parent SKU (Brightpearl has no parent product, only the group). */
  sku: string;
  name: string;
  optionName: string;
  memberIds: number[];
}

export interface Catalog {
  warehouses: { id: number; name: string; typeCode: string }[];
  products: CatalogProduct[];
  groups: CatalogGroup[];
  quirks: {
    /** In Brightpearl, not in WooCommerce. */
    missingInWooCommerce: string[];
    /** In WooCommerce, not in Brightpearl. */
    missingInBrightpearl: { sku: string; name: string }[];
    /** Stock-tracked in Brightpearl but product-availability returns no row for them. */
    noAvailability: number[];
    /** Not stock-tracked (a service item): availability omits it, inventory skips it. */
    notStockTracked: number[];
  };
}

export interface CatalogOptions {
  seed?: number;
  simpleCount?: number;
  variableCount?: number;
  /** With `quirks: false` every record is clean (benchmarks). */
  quirks?: boolean;
}

const NOUNS = ['Mug', 'Bottle', 'Tee', 'Hoodie', 'Cap', 'Tote', 'Notebook', 'Candle', 'Blanket', 'Scarf', 'Socks', 'Apron', 'Lamp', 'Planter', 'Tray'];
const ADJECTIVES = ['Classic', 'Trail', 'Harbour', 'Studio', 'Alpine', 'Meadow', 'Coastal', 'Urban', 'Heritage', 'Nordic', 'Sunset', 'Forest'];
const MATERIALS = ['Stoneware', 'Organic cotton', 'Recycled steel', 'Linen', 'Merino wool', 'Bamboo', 'Oak', 'Canvas'];
const SIZES = ['S', 'M', 'L', 'XL'];
const COLOURS = ['Blue', 'Red', 'Green', 'Black', 'Sand'];

export const DEFAULT_WAREHOUSES = [
  { id: 2, name: 'Leeds DC', typeCode: 'warehouse' },
  { id: 5, name: 'London Store', typeCode: 'store' },
  { id: 7, name: 'Fulfilment Partner', typeCode: '3pl' },
];

export function buildCatalog(options: CatalogOptions = {}): Catalog {
  const random = seededRandom(options.seed ?? 42);
  const simpleCount = options.simpleCount ?? 240;
  const variableCount = options.variableCount ?? 30;
  const withQuirks = options.quirks ?? true;
  const products: CatalogProduct[] = [];
  const groups: CatalogGroup[] = [];
  let nextId = 1001;

  const stockFor = (): CatalogProduct['stock'] => {
    const stock: CatalogProduct['stock'] = {};
    for (const w of DEFAULT_WAREHOUSES) {
      const inStock = random() < 0.15 ? 0 : randomInt(random, 0, 120);
      stock[w.id] = { inStock, allocated: Math.min(inStock, randomInt(random, 0, 8)) };
    }
    return stock;
  };
  const describe = (name: string) => `<p>${name} in ${pick(random, MATERIALS).toLowerCase()}.</p>`;
  const price = () => (randomInt(random, 500, 9900) / 100).toFixed(2);

  for (let i = 0; i < simpleCount; i++) {
    const bpId = nextId++;
    const name = `${pick(random, ADJECTIVES)} ${pick(random, NOUNS)} ${i + 1}`;
    products.push({
      bpId,
      sku: `BP-${bpId}`,
      name,
      groupId: 0,
      price: price(),
      description: describe(name),
      stockTracked: true,
      stock: stockFor(),
    });
  }

  for (let g = 0; g < variableCount; g++) {
    const groupId = 900_000 + g;
    const useSizes = g % 2 === 0;
    const optionName = useSizes ? 'Size' : 'Colour';
    const values = useSizes ? SIZES : COLOURS.slice(0, 3 + (g % 3));
    const baseName = `${pick(random, ADJECTIVES)} ${pick(random, NOUNS)} V${g + 1}`;
    const basePrice = price();
    const memberIds: number[] = [];
    values.forEach((value, v) => {
      const bpId = nextId++;
      memberIds.push(bpId);
      products.push({
        bpId,
        sku: `BP-${groupId}-${value.toUpperCase()}`,
        name: `${baseName} - ${value}`,
        groupId,
        option: { optionId: useSizes ? 3 : 4, optionName, optionValueId: 100 + v, optionValue: value },
        price: basePrice,
        description: describe(baseName),
        stockTracked: true,
        stock: stockFor(),
      });
    });
    groups.push({ groupId, sku: `BP-${groupId}`, name: baseName, optionName, memberIds });
  }

  const quirks: Catalog['quirks'] = { missingInWooCommerce: [], missingInBrightpearl: [], noAvailability: [], notStockTracked: [] };
  if (withQuirks && simpleCount >= 10) {
    // Deliberately bad records a store owner would meet in real life.
    const at = (n: number) => products[n] as CatalogProduct;
    quirks.missingInWooCommerce.push(at(3).sku, at(7).sku);
    quirks.noAvailability.push(at(5).bpId, at(9).bpId);
    const service = at(8);
    service.stockTracked = false;
    service.name = 'Gift Wrapping Service';
    service.stock = {};
    quirks.notStockTracked.push(service.bpId);
    quirks.missingInBrightpearl.push({ sku: 'WC-ONLY-001', name: 'Clearance Bundle (WooCommerce only)' });
  }

  return { warehouses: DEFAULT_WAREHOUSES, products, groups, quirks };
}
