/**
 * {@code POST /api/patterns/{name}}: asyncio's primitives run observably — {@code TaskGroup},
 * {@code Semaphore}, {@code Lock}, {@code Event}, {@code Condition}, {@code Queue},
 * {@code timeout()} and {@code run_in_executor}/{@code to_thread}. Each pattern is one class
 * behind {@link dev.asyncpatterns.patterns.Pattern}; each run happens on its own single-threaded
 * loop (like asyncio's) and answers the timeline of what happened when, with a summary computed
 * only from that timeline so a client can check the semantics itself.
 */
package dev.asyncpatterns.patterns;
