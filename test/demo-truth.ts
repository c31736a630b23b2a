// What the demo shop's traffic and catalog imply, read off cli/src/demo/landscape.ts
// and cli/src/demo/catalog/ by hand: the expected answers of the tests that run
// the demo, written once.

/** The services that call each demo API (by name), sorted. */
export const DEMO_API_CONSUMERS: Readonly<Record<string, readonly string[]>> = {
  'inventory-api': ['cart', 'checkout', 'storefront-bff'],
  'cart-api': ['checkout', 'web-gateway'],
  'order-events': ['notification', 'shipping'],
  'pricing-api': ['cart', 'storefront-bff'],
  'auth-api': ['web-gateway'],
  // POST /products/batch from recommendation is a shadow endpoint: no API of catalog declares it.
  'catalog-api': ['storefront-bff'],
  'checkout-api': ['web-gateway'],
  'payments-api': ['checkout'],
  'search-api': ['storefront-bff'],
  'storefront-api': ['web-gateway'],
  'loyalty-api': [],
};
