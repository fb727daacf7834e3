package dev.asyncpatterns.web;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpMethod;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.ContentTooLargeException;
import org.springframework.web.server.MethodNotAllowedException;
import org.springframework.web.server.NotAcceptableStatusException;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.UnsupportedMediaTypeStatusException;

import reactor.core.publisher.Mono;

/**
 * What an annotated mapping answers on its own, for the few paths served by router functions
 * instead (the hot ones: a router function skips the lookup among every annotated mapping and the
 * per-call argument resolution). Spring answers these from the mapping's conditions; a router
 * function has to say them: {@code OPTIONS} lists the path's methods, any other method is a 405
 * with {@code Allow}, a body that is not JSON a 415, a body over the codecs' limit a 413, and a
 * client that takes no JSON a 406. The answers are the same exceptions, so the problem responses are
 * the advice's, as for a controller. And a route's JSON answer made as bytes is written by
 * {@link #json}, with no codec's writer lookup per request.
 */
public final class RouteAnswers {

    private RouteAnswers() {
    }

    /**
     * Routes the requests for {@code path}: the {@code handled} methods to {@code handler}, and the
     * others as above, except the methods an annotated controller serves on the same path
     * ({@code mappedElsewhere}), which this route leaves to it.
     */
    public static RouterFunction<ServerResponse> route(String path, Set<HttpMethod> handled,
            Set<HttpMethod> mappedElsewhere, HandlerFunction<ServerResponse> handler) {
        Set<HttpMethod> allowed = inOrder(method -> handled.contains(method) || mappedElsewhere.contains(method));
        Set<HttpMethod> withOptions =
                inOrder(method -> allowed.contains(method) || HttpMethod.OPTIONS.equals(method));
        HttpMethod[] routed = inOrder(method -> !mappedElsewhere.contains(method)).toArray(HttpMethod[]::new);
        // The path predicate last: springdoc documents a route by its final path pattern.
        return RouterFunctions.route(RequestPredicates.methods(routed).and(RequestPredicates.path(path)), request -> {
            HttpMethod method = request.method();
            if (handled.contains(method)) {
                // Deferred, so that what the handler throws is an error of its answer, which Spring
                // gives the controller advice; thrown from here, it would skip the advice.
                return Mono.defer(() -> handler.handle(request));
            }
            if (HttpMethod.OPTIONS.equals(method)) {
                return ServerResponse.ok().allow(withOptions).build();
            }
            return Mono.error(new MethodNotAllowedException(method, allowed));
        });
    }

    /** The standard methods that pass, in Spring's order (GET, HEAD, POST, ...), as {@code Allow} lists them. */
    private static Set<HttpMethod> inOrder(Predicate<HttpMethod> included) {
        return Arrays.stream(RequestMethod.values())
            .map(RequestMethod::asHttpMethod)
            .filter(included)
            .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /** A 415 unless the request's body is declared {@code application/json}, as {@code consumes} had it. */
    public static void requireJsonBody(ServerRequest request) {
        MediaType contentType;
        try {
            contentType = request.headers().contentType().orElse(null);
        }
        catch (InvalidMediaTypeException ex) {
            throw new UnsupportedMediaTypeStatusException("Could not parse Content-Type.",
                    List.of(MediaType.APPLICATION_JSON));
        }
        if (contentType == null || !MediaType.APPLICATION_JSON.includes(contentType)) {
            throw new UnsupportedMediaTypeStatusException(contentType, List.of(MediaType.APPLICATION_JSON),
                    request.method());
        }
    }

    /**
     * The request's JSON body as {@code type}: none is a 400 and one over the codecs' size limit a
     * 413, as {@code @RequestBody} made them.
     */
    public static <T> Mono<T> jsonBody(ServerRequest request, Class<T> type) {
        return request.bodyToMono(type)
            .onErrorMap(DataBufferLimitException.class, ContentTooLargeException::new)
            .switchIfEmpty(Mono.error(() -> new ServerWebInputException("No request body")));
    }

    /** The answer with {@code body}, JSON already written, as its body: sent as it is. */
    public static Mono<ServerResponse> json(ServerResponse.BodyBuilder answer, byte[] body) {
        return answer.contentType(MediaType.APPLICATION_JSON)
            .contentLength(body.length)
            .body((response, context) ->
                    response.writeWith(Mono.fromSupplier(() -> response.bufferFactory().wrap(body))));
    }

    /** A 406 unless the client accepts JSON (or says nothing), as {@code produces} had it. */
    public static void requireJsonAccepted(ServerRequest request) {
        List<MediaType> accepted = request.headers().accept();
        if (!accepted.isEmpty() && accepted.stream().noneMatch(MediaType.APPLICATION_JSON::isCompatibleWith)) {
            throw new NotAcceptableStatusException(List.of(MediaType.APPLICATION_JSON));
        }
    }
}
