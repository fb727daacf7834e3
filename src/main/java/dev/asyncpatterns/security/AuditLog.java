package dev.asyncpatterns.security;

import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import reactor.core.publisher.Mono;

/**
 * One audit line per state-changing call under {@code /api} (POST, PUT, PATCH, DELETE), written
 * when the answer is committed so refusals (401, 403, 429) are recorded too: who (caller name or
 * {@code anonymous}, and the client IP), what (method and path), which job, and the outcome
 * (status). The fields are also attached as SLF4J key-values for structured logging. Never any
 * credential: the name is the key's configured name or the token's subject. The logger writes
 * through {@link AuditAppender}, off the event loop (logback-spring.xml).
 */
final class AuditLog implements WebFilter {

    static final String LOGGER = "dev.asyncpatterns.audit";

    private static final Logger log = LoggerFactory.getLogger(LOGGER);
    private static final Set<HttpMethod> STATE_CHANGING = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH,
            HttpMethod.DELETE);
    private static final String JOBS = "/api/jobs/";

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        String path = request.getPath().pathWithinApplication().value();
        if (!path.startsWith("/api/") || !STATE_CHANGING.contains(request.getMethod())) {
            return chain.filter(exchange);
        }
        exchange.getResponse().beforeCommit(() -> {
            record(exchange, path);
            return Mono.empty();
        });
        return chain.filter(exchange);
    }

    /** Reads what the line needs now, while the exchange is current, and hands it to the audit logger. */
    private void record(ServerWebExchange exchange, String path) {
        String name = Callers.name(exchange);
        String who = name != null ? name : "anonymous";
        String ip = Callers.ip(exchange);
        String method = exchange.getRequest().getMethod().name();
        String job = job(path, exchange.getResponse().getHeaders());
        HttpStatusCode status = exchange.getResponse().getStatusCode();
        int outcome = status != null ? status.value() : 200;
        log.atInfo()
            .addKeyValue("who", who).addKeyValue("ip", ip).addKeyValue("method", method).addKeyValue("path", path)
            .addKeyValue("job", job).addKeyValue("status", outcome)
            .log("audit who={} ip={} what=\"{} {}\" job={} outcome={}", who, ip, method, path, job, outcome);
    }

    /**
     * The job a call acted on: from the path, or from {@code Location} when it created one. Plain
     * string search, not a URI parser and a regular expression: this runs on every state-changing call.
     */
    private static String job(String path, HttpHeaders responseHeaders) {
        if (path.startsWith(JOBS)) {
            return idAt(path, JOBS.length());
        }
        String location = responseHeaders.getFirst(HttpHeaders.LOCATION);
        int jobs = location != null ? location.indexOf(JOBS) : -1;
        return jobs >= 0 ? idAt(location, jobs + JOBS.length()) : "-";
    }

    /** The path segment that starts at {@code start}, up to a {@code /}, {@code ?} or {@code #}. */
    private static String idAt(String text, int start) {
        int end = start;
        while (end < text.length() && "/?#".indexOf(text.charAt(end)) < 0) {
            end++;
        }
        return end > start ? text.substring(start, end) : "-";
    }
}
