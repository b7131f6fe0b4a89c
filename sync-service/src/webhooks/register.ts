/**
 * Points both systems' webhooks at this service, idempotently: what already exists (same topic and
 * URL) is kept (and re-activated in WooCommerce), only what is missing is created.
 */
import type { BrightpearlClient } from '../brightpearl/client';
import type { WooCommerceClient } from '../woocommerce/client';

export const WOOCOMMERCE_TOPICS = ['order.created', 'order.updated'] as const;
export const BRIGHTPEARL_EVENTS = ['product.modified.on-hand-modified', 'product.modified', 'order.modified.order-status', 'goods-out-note.modified.shipped'] as const;

/** Brightpearl fills these `${...}` variables in; the body matches what /webhooks/brightpearl validates. */
export const BRIGHTPEARL_BODY_TEMPLATE = JSON.stringify({
  accountCode: '${account-code}',
  resourceType: '${resource-type}',
  id: '${resource-id}',
  lifecycleEvent: '${lifecycle-event}',
  fullEvent: '${full-event}',
  raisedOn: '${raised-on}',
});

export interface RegisterOptions {
  brightpearl: Pick<BrightpearlClient, 'listWebhooks' | 'createWebhook'>;
  woocommerce: Pick<WooCommerceClient, 'listWebhooks' | 'createWebhook' | 'updateWebhook'>;
  /** Where Brightpearl and WooCommerce reach this service, e.g. https://sync.example.com */
  publicUrl: string;
  woocommerceSecret?: string;
  brightpearlSecret?: string;
}

export interface RegisterReport {
  created: string[];
  kept: string[];
  skipped: string[];
}

export async function registerWebhooks(options: RegisterOptions): Promise<RegisterReport> {
  const report: RegisterReport = { created: [], kept: [], skipped: [] };
  const base = options.publicUrl.replace(/\/+$/, '');

  if (options.woocommerceSecret) {
    const url = `${base}/webhooks/woocommerce`;
    const existing = await options.woocommerce.listWebhooks({ per_page: 100 });
    for (const topic of WOOCOMMERCE_TOPICS) {
      const found = existing.find((w) => w.topic === topic && w.delivery_url === url);
      if (found) {
        // The secret is write-only, so set it again: a kept webhook must sign with ours.
        await options.woocommerce.updateWebhook(found.id, { status: 'active', secret: options.woocommerceSecret });
        report.kept.push(`woocommerce ${topic}`);
      } else {
        await options.woocommerce.createWebhook({ name: `Brightpearl Sync: ${topic}`, topic, status: 'active', delivery_url: url, secret: options.woocommerceSecret });
        report.created.push(`woocommerce ${topic}`);
      }
    }
  } else {
    report.skipped.push('woocommerce (no BPWC_WC_WEBHOOK_SECRET)');
  }

  if (options.brightpearlSecret) {
    const uri = `${base}/webhooks/brightpearl?token=${encodeURIComponent(options.brightpearlSecret)}`;
    // The list includes other integrations' hooks: match on event and our URL only.
    const existing = await options.brightpearl.listWebhooks();
    for (const event of BRIGHTPEARL_EVENTS) {
      if (existing.some((w) => w.subscribeTo === event && w.uriTemplate === uri)) {
        report.kept.push(`brightpearl ${event}`);
        continue;
      }
      await options.brightpearl.createWebhook({
        subscribeTo: event,
        httpMethod: 'POST',
        uriTemplate: uri,
        bodyTemplate: BRIGHTPEARL_BODY_TEMPLATE,
        contentType: 'application/json',
        idSetAccepted: true,
        qualityOfService: 1,
      });
      report.created.push(`brightpearl ${event}`);
    }
  } else {
    report.skipped.push('brightpearl (no BPWC_BRIGHTPEARL_WEBHOOK_SECRET)');
  }
  return report;
}
