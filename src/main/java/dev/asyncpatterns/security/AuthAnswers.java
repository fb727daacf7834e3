package dev.asyncpatterns.security;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.WebFilterExchange;
import org.springframework.security.web.server.authentication.ServerAuthenticationFailureHandler;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

import dev.asyncpatterns.web.ProblemTypes;
import dev.asyncpatterns.web.ProblemWriter;
import dev.asyncpatterns.web.Problems;

import reactor.core.publisher.Mono;

/**
 * The answers to a refused caller: 401 with {@code WWW-Authenticate} for a missing or bad
 * credential, 403 for a role too weak, both problem JSON; each counted in
 * {@code asyncpatterns.security.auth.failures{reason}} (reasons {@code missing}, {@code unknown_key},
 * {@code invalid_token}, {@code forbidden}).
 */
@Component
class AuthAnswers implements ServerAuthenticationEntryPoint, ServerAuthenticationFailureHandler,
        ServerAccessDeniedHandler {

    private static final String CHALLENGE = "Bearer realm=\"async-patterns\"";
    /** Public whatever the credential: a refused one only means no details, as for an anonymous caller. */
    static final PathPatternMatcher PUBLIC_ACTUATOR = PathPatternMatcher.of("/actuator/health", "/actuator/health/**",
            "/actuator/info");

    private final ProblemWriter problems;
    private final MeterRegistry meters;

    AuthAnswers(ProblemWriter problems, MeterRegistry meters) {
        this.problems = problems;
        this.meters = meters;
        for (String reason : new String[] {"missing", "unknown_key", "invalid_token", "forbidden"}) {
            failures(reason);
        }
    }

    /** No credential on a path that needs one. */
    @Override
    public Mono<Void> commence(ServerWebExchange exchange, AuthenticationException ex) {
        failures("missing").increment();
        return unauthorized(exchange, CHALLENGE,
                "This endpoint needs a credential: Authorization: Bearer <key or token>, or X-API-Key: <key>.");
    }

    /** A credential was sent and refused: unknown key, or an invalid, expired or foreign token. */
    @Override
    public Mono<Void> onAuthenticationFailure(WebFilterExchange webFilterExchange, AuthenticationException ex) {
        boolean token = ex instanceof OAuth2AuthenticationException;
        failures(token ? "invalid_token" : "unknown_key").increment();
        ServerWebExchange exchange = webFilterExchange.getExchange();
        return PUBLIC_ACTUATOR.test(exchange)
                ? webFilterExchange.getChain().filter(exchange)
                : unauthorized(exchange, CHALLENGE + ", error=\"invalid_token\"", token
                        ? "The bearer token was not accepted (invalid, expired, not yet valid or not for this service)."
                        : "The API key was not accepted.");
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, AccessDeniedException denied) {
        failures("forbidden").increment();
        return problems.write(exchange, Problems.of(HttpStatus.FORBIDDEN, ProblemTypes.FORBIDDEN,
                "Forbidden", "The credential is valid but its role does not allow "
                        + exchange.getRequest().getMethod() + " " + exchange.getRequest().getPath().value() + "."),
                HttpHeaders.EMPTY);
    }

    private Mono<Void> unauthorized(ServerWebExchange exchange, String challenge, String detail) {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.WWW_AUTHENTICATE, challenge);
        return problems.write(exchange, Problems.of(HttpStatus.UNAUTHORIZED,
                ProblemTypes.UNAUTHORIZED, "Unauthorized", detail), headers);
    }

    private Counter failures(String reason) {
        return Counter.builder("asyncpatterns.security.auth.failures")
            .description("Requests refused for a missing, unknown or invalid credential, or a role too weak")
            .tag("reason", reason).register(meters);
    }
}
