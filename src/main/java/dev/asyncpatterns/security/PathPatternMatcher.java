package dev.asyncpatterns.security;

import java.util.Arrays;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

import reactor.core.publisher.Mono;

/**
 * Spring Security's {@code ServerWebExchangeMatchers.pathMatchers}, decided at once: the same
 * patterns, parsed by the same parser, tried on the same path (the one within the application),
 * optionally for one method. Spring Security's version asks each pattern through a {@code Flux}
 * ({@code OrServerWebExchangeMatcher}), with a debug line per pattern; several of these ran on
 * every request once credentials are configured: which chain, whether to authenticate, then each
 * authorization rule in turn. None of the patterns here has a variable, so a match carries none,
 * and both answers are one shared {@code Mono} each.
 */
final class PathPatternMatcher implements ServerWebExchangeMatcher {

    private static final Mono<MatchResult> MATCH = MatchResult.match();
    private static final Mono<MatchResult> NO_MATCH = MatchResult.notMatch();

    private final @Nullable HttpMethod method;
    private final List<PathPattern> patterns;
    private final boolean negated;

    private PathPatternMatcher(@Nullable HttpMethod method, List<PathPattern> patterns, boolean negated) {
        this.method = method;
        this.patterns = patterns;
        this.negated = negated;
    }

    /** Requests of any method whose path matches one of {@code patterns}. */
    static PathPatternMatcher of(String... patterns) {
        return of(null, patterns);
    }

    /** Requests of {@code method} (any, when null) whose path matches one of {@code patterns}. */
    static PathPatternMatcher of(@Nullable HttpMethod method, String... patterns) {
        PathPatternParser parser = PathPatternParser.defaultInstance;
        return new PathPatternMatcher(method,
                Arrays.stream(patterns).map(pattern -> parser.parse(parser.initFullPathPattern(pattern))).toList(), false);
    }

    /** Every request this one does not match. */
    PathPatternMatcher negate() {
        return new PathPatternMatcher(method, patterns, !negated);
    }

    /** Whether {@code exchange} is one of these requests. */
    boolean test(ServerWebExchange exchange) {
        return matchesRequest(exchange) != negated;
    }

    private boolean matchesRequest(ServerWebExchange exchange) {
        if (method != null && !method.equals(exchange.getRequest().getMethod())) {
            return false;
        }
        PathContainer path = exchange.getRequest().getPath().pathWithinApplication();
        for (PathPattern pattern : patterns) {
            if (pattern.matches(path)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Mono<MatchResult> matches(ServerWebExchange exchange) {
        return answer(test(exchange));
    }

    /** A match, or none, as one of the two shared answers: for matchers decided at once. */
    static Mono<MatchResult> answer(boolean matched) {
        return matched ? MATCH : NO_MATCH;
    }

    @Override
    public String toString() {
        return (negated ? "not " : "") + (method == null ? "" : method + " ") + patterns;
    }
}
