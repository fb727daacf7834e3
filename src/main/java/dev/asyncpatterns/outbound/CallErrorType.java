package dev.asyncpatterns.outbound;

/** The one kind each failed outbound call is classified as ({@code error.type} in a result). */
public enum CallErrorType {
    /** No complete response within the call's timeout (or the connection pool's wait). */
    TIMEOUT,
    /** The upstream answered with a status other than 2xx, or a redirect that was not followed. */
    HTTP_STATUS,
    /** No connection: refused, unknown host, connect timeout, TLS failure, or the pool's queue full. */
    CONNECT,
    /** The body was longer than {@code asyncpatterns.outbound.max-body-bytes}; the connection was closed. */
    TOO_LARGE,
    /** The call was cancelled before it finished (a sibling failed, the operation timed out, the client left). */
    CANCELLED,
    /** The upstream broke the protocol: a malformed response, a JSON body that does not parse, a cut-off body. */
    INVALID_RESPONSE,
    /** The call was not made: the rate limiter the request named had no permit for it in time. */
    RATE_LIMITED
}
