/**
 * The simulated upstream: httpbin-like endpoints (a slow answer, any status, a seeded flaky
 * service, a body of any size) that every fan-out and resilience example calls, so asyncio's
 * {@code gather}, {@code wait} and retries can be tried with nothing else running. Delays are
 * timers ({@code asyncio.sleep}), never sleeping threads. Depends on nothing else in the service.
 */
package dev.asyncpatterns.sim;
