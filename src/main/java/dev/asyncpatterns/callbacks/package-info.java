/**
 * Completion callbacks (API.md section 12): {@code Task.add_done_callback} across the network.
 * When a job that asked for one ends, {@link dev.asyncpatterns.callbacks.CallbackDeliveries} POSTs
 * its JSON to the caller's URL through the service's one outbound client, signed per the Standard
 * Webhooks scheme by {@link dev.asyncpatterns.callbacks.CallbackSigner}, and tries again with
 * exponential backoff and jitter (honouring {@code Retry-After}) until a 2xx or the last attempt.
 * Deliveries run beside the jobs, never in a job slot, and are bounded in number. With
 * {@code store=postgres} the tries are scheduled by rows that any instance claims (the cluster
 * package), each sent through {@link dev.asyncpatterns.callbacks.CallbackDeliveries#send}.
 */
package dev.asyncpatterns.callbacks;
