package dev.asyncpatterns.web;

import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.webflux.autoconfigure.WebFluxRegistrations;
import org.springframework.http.server.PathContainer;
import org.springframework.stereotype.Component;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.reactive.result.method.RequestMappingInfo;
import org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.pattern.PathPattern;

/**
 * The service's request mappings, each asked only by requests whose first path segment it can
 * match. A request that is not for a fixed path ({@code GET /sim/delay/{ms}},
 * {@code GET /api/jobs/{id}}) is matched against every request mapping in turn, and each checks
 * its method and {@code produces} conditions (parsing the {@code Accept} header) before its path:
 * about a tenth of a {@code GET /sim/status/200}'s CPU in a profile of bench W3, when that path was
 * still an annotated mapping. A mapping whose
 * paths all start with a literal segment cannot match a request whose first segment is another,
 * so it is skipped before any of its conditions run. Mappings whose first segment is a variable
 * or a wildcard, and any registered after start-up, are always asked. The answers when nothing
 * matches (404, 405, 406, 415) do not change: Spring works them out from every mapping.
 */
@Component
class RequestMappingsByFirstSegment implements WebFluxRegistrations {

    @Override
    public RequestMappingHandlerMapping getRequestMappingHandlerMapping() {
        return new Mapping();
    }

    static final class Mapping extends RequestMappingHandlerMapping {

        /**
         * The literal first segments of each mapping that has only such paths, by identity: a
         * hash map's probe compares colliding mappings with {@code equals}, condition by condition.
         */
        private volatile Map<RequestMappingInfo, Set<String>> firstSegments = Map.of();

        @Override
        protected void handlerMethodsInitialized(Map<RequestMappingInfo, HandlerMethod> handlerMethods) {
            super.handlerMethodsInitialized(handlerMethods);
            if (!getPathPatternParser().isCaseSensitive()) {
                return; // a literal would then match more than its own spelling
            }
            Map<RequestMappingInfo, Set<String>> segments = new IdentityHashMap<>();
            for (RequestMappingInfo info : handlerMethods.keySet()) {
                Set<String> literals = literalFirstSegments(info.getPatternsCondition().getPatterns());
                if (literals != null) {
                    segments.put(info, literals);
                }
            }
            this.firstSegments = segments; // not changed after this, and published by the volatile write
        }

        @Override
        protected @Nullable RequestMappingInfo getMatchingMapping(RequestMappingInfo info, ServerWebExchange exchange) {
            return mayMatch(info, exchange) ? super.getMatchingMapping(info, exchange) : null;
        }

        boolean mayMatch(RequestMappingInfo info, ServerWebExchange exchange) {
            Set<String> literals = this.firstSegments.get(info);
            return literals == null || literals.contains(firstSegment(exchange));
        }

        /**
         * The first segment as path patterns match it: decoded and without matrix variables
         * ({@code /s%69m;v=1/x} starts with {@code sim}); empty for {@code /}.
         */
        private static String firstSegment(ServerWebExchange exchange) {
            List<PathContainer.Element> elements = exchange.getRequest().getPath().pathWithinApplication().elements();
            return elements.size() > 1 && elements.get(1) instanceof PathContainer.PathSegment segment
                    ? segment.valueToMatch() : "";
        }

        /** Null when some path does not start with a literal segment (or there is no path). */
        private static @Nullable Set<String> literalFirstSegments(Set<PathPattern> patterns) {
            Set<String> literals = new HashSet<>();
            for (PathPattern pattern : patterns) {
                String text = pattern.getPatternString();
                int end = text.indexOf('/', 1);
                String first = text.substring(Math.min(1, text.length()), end < 0 ? text.length() : end);
                if (!text.startsWith("/") || first.indexOf('{') >= 0 || first.indexOf('*') >= 0
                        || first.indexOf('?') >= 0) {
                    return null;
                }
                literals.add(first);
            }
            return literals.isEmpty() ? null : Set.copyOf(literals);
        }
    }
}
