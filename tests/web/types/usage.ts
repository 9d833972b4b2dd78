// A store's TypeScript using every value each entry point of @aisle/storefront declares,
// imported through the package's `exports` map: `tsc --noEmit -p tests/web/types` checks it
// against the published .d.ts files, and exports.mjs checks that it imports every declared
// value and that the modules really export them.
import {
  aisle, AisleError, VERSION, configure, start, ready, track, recommend, recommendNow, prepare, explain, fallback, endVisit,
  getStats, pushAnalytics, experimentParams, consent, forget,
} from '@aisle/storefront';
import type { Explanation, LoaderStats, Placement, RecommendationList, ShopperEvent } from '@aisle/storefront';
import { AisleError as EngineError, createEngine } from '@aisle/storefront/engine';
import type { CatalogItem, Engine, ExperimentArm } from '@aisle/storefront/engine';
import { defineAisleRecs, safeUrl } from '@aisle/storefront/recs';
import type { AisleRecsEventMap } from '@aisle/storefront/recs';

export async function loader(): Promise<string[]> {
  configure({ snapshot: '/aisle/store.snap', fallback: '/aisle/fallback.json', visitMinutes: 30, shareContext: false });
  const event: ShopperEvent = { event: 'add_to_cart', ecommerce: { items: [{ item_id: 'SKU-1', price: 9.5 }] } };
  const tracked: boolean = track(event) && aisle.track({ event: 'view_item', items: [{ item_id: 2 }] });
  const started: boolean = (await start()) && (await ready()) && (await aisle.ready());
  const placement: Placement = 'cart';
  const list: RecommendationList = await recommend(placement, { limit: 4 });
  const now: RecommendationList | null = recommendNow('home', { limit: 8 });
  const full: RecommendationList | null = recommendNow('product', { item: 'SKU-1', limit: 4, fill: true });
  prepare('product', { item: 'SKU-1', limit: 4 }); aisle.prepare('home', { limit: 8 });
  const why: Explanation = await explain(list.items[0].id, { placement: 'product', item: 'SKU-1' });
  const stats: LoaderStats = getStats();
  const counted: number = stats.tracked + stats.ignored + stats.errors + aisle.stats().resets + stats.sharedFailures;
  const shared: boolean = stats.worker === 'shared' && stats.joined; // another tab's engine
  const backup = await fallback();
  pushAnalytics({ event: 'view_item_list' });
  const arms: { aisle_experiment?: string; aisle_variant?: string } = experimentParams();
  endVisit();
  consent(getStats().consent);
  forget();
  try {
    await aisle.recommend('home');
  } catch (e) {
    if (e instanceof AisleError) return [e.code];
  }
  const same: typeof AisleError = EngineError;
  return [VERSION, String(tracked && started), now?.mode ?? '', String(full?.slots), why.reasons[0]?.code ?? '', String(counted),
    String(backup?.length), arms.aisle_variant ?? '', same.name, window.aisle.VERSION, String(shared)];
}

export async function engine(bytes: Uint8Array): Promise<CatalogItem | undefined> {
  const e: Engine = await createEngine({ moduleUrl: '/aisle/engine/aisle_engine.mjs' });
  e.load(bytes);
  const arms: ExperimentArm[] = e.assign('0123456789abcdef0123456789abcdef');
  e.track({ event: 'view_item', items: [{ item_id: 'SKU-1' }] });
  const list: RecommendationList = e.recommend({ placement: 'product', item: 'SKU-1', k: 4, fill: true });
  e.setRules({ pins: [] });
  const item = e.item(list.items[0]?.id ?? 'SKU-1') ?? e.itemAt(0);
  e.dispose();
  return arms.length ? item : undefined;
}

export function element(): string | null {
  defineAisleRecs(aisle, (fn) => fn);
  const recs: HTMLElement | null = document.querySelector('aisle-recs');
  recs?.addEventListener('aisle-click', (e) => {
    const click = e as AisleRecsEventMap['aisle-click'];
    console.log(click.detail.item, click.detail.index);
  });
  return safeUrl('/p/teapot');
}
