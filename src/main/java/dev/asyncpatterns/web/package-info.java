/**
 * The HTTP edge shared by every feature: one RFC 9457 problem-details advice, the problem
 * {@code type} URIs, and the OpenAPI description.
 */
package dev.asyncpatterns.web;
