package dev.asyncpatterns.security;

import java.util.Set;
import java.util.regex.Matcher;

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
    private static final java.util.regex.Pattern JOB_PATH = java.util.regex.Pattern.compile("^/api/jobs/([^/?]+)");

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

    /** The job a call acted on: from the path, or from {@code Location} when it created one. */
    private static String job(String path, HttpHeaders responseHeaders) {
        Matcher inPath = JOB_PATH.matcher(path);
        if (inPath.find()) {
            return inPath.group(1);
        }
        String location = responseHeaders.getFirst(HttpHeaders.LOCATION);
        if (location != null) {
            Matcher created = JOB_PATH.matcher(java.net.URI.create(location).getPath());
            if (created.find()) {
                return created.group(1);
            }
        }
        return "-";
    }
}
