/**
 * Access control and abuse limits at the HTTP edge. Not an asyncio pattern itself but what keeps
 * the others safe to expose: who may start tasks ({@code create_task}), cancel them and make
 * outbound calls, and how many of each one caller may have in flight (a per-caller token bucket
 * in front of everything, quotas on concurrent work). Built on Spring Security for WebFlux; this
 * package only maps configuration onto it: API keys, a JWT resource server, roles, problem JSON
 * answers, the start-up refusal to serve anonymous callers on a non-loopback address.
 */
package dev.asyncpatterns.security;
