/**
 * The HTTP edge shared by every feature: one RFC 9457 problem-details advice, the problem
 * {@code type} URIs, the OpenAPI description, and how the server treats careless and hostile clients
 * (request read timeouts, hang-ups, broken chunked framing, requests refused below the service).
 */
package dev.asyncpatterns.web;
