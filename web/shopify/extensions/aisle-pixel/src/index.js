// aisle's Shopify web pixel. Checkout and thank-you pages run no theme script, so the
// storefront's loader never sees a purchase; this pixel hears `checkout_completed` and adds the
// purchase to the storefront's aisle record through the pixel API's browser.localStorage (the
// storefront's own origin), in the loader's format (web/package/record.js), so the next
// storefront page's lists know what was bought (post-purchase, no substitutes of it, tier,
// buy-again). Product views and cart changes happen on the storefront, which the theme's app
// embed already tells the loader: the pixel writes nothing else. Consent: only while the
// visitor allows preferences (personalisation) processing; withdrawing it removes the record.
// Sends nothing anywhere; never throws into Shopify's pixel runtime. docs/shopify.md.
import { register } from '@shopify/web-pixels-extension';
import { recordPurchase, storeKeyFor } from '../../../../package/record.js';
import { ID_MODES, itemId } from '../../aisle-theme/assets/aisle-ids.js';

const MAX_LINES = 64; // items per event the loader keeps

// The storefront's key for the store whose manifest the app embed loads: its URL's path.
function keyOf(manifest) {
  if (typeof manifest !== 'string' || !/^(\/|https:\/\/)/.test(manifest)) return null;
  try {
    return storeKeyFor(new URL(manifest, 'https://shop.invalid/').pathname);
  } catch {
    return null;
  }
}

// The ids of a checkout's lines (Shopify's CheckoutLineItem: variant {id, sku, title, product {id, url}}).
export function purchasedIds(lineItems, mode) {
  if (!Array.isArray(lineItems)) return [];
  const ids = lineItems.slice(0, MAX_LINES).map((line) => {
    const v = line?.variant;
    const handle = typeof v?.product?.url === 'string' ? v.product.url.match(/\/products\/([^/?#]+)/)?.[1] : undefined;
    const title = typeof v?.untranslatedTitle === 'string' ? v.untranslatedTitle : v?.title;
    return itemId({ sku: v?.sku, variantId: v?.id, productId: v?.product?.id, handle,
      options: typeof title === 'string' ? title.split(' / ') : [] }, mode);
  });
  return [...new Set(ids.filter(Boolean))];
}

// Shopify's customer privacy status: preferences (personalisation) decide, as
// personalization_storage does for the loader (docs/privacy.md).
const allows = (status) => status?.preferencesProcessingAllowed === true;

export function aislePixel({ analytics, browser, init, settings, customerPrivacy }) {
  const key = keyOf(settings?.manifest_path);
  const mode = ID_MODES.includes(settings?.item_id) ? settings.item_id : 'sku';
  if (!key) return;
  let allowed = allows(init?.customerPrivacy);
  const quiet = () => {}; // a storage failure (quota, privacy mode) is the storefront's to count
  try {
    customerPrivacy?.subscribe?.('visitorConsentCollected', (event) => {
      try {
        allowed = allows(event?.customerPrivacy);
        return allowed ? undefined : Promise.resolve(browser.localStorage.removeItem(key)).catch(quiet);
      } catch { /* never into the runtime */ }
    });
  } catch { /* an older runtime without consent events: the initial status holds */ }
  analytics.subscribe('checkout_completed', async (event) => {
    try {
      if (!allowed) return;
      const ids = purchasedIds(event?.data?.checkout?.lineItems, mode);
      if (!ids.length) return;
      const time = Date.parse(event?.timestamp);
      const stored = await browser.localStorage.getItem(key);
      if (!allowed) return; // withdrawn meanwhile
      await browser.localStorage.setItem(key, recordPurchase(stored, ids, Number.isFinite(time) ? time : Date.now()));
    } catch { /* never into the runtime */ }
  });
}

register(aislePixel);
