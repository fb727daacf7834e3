package dev.asyncpatterns.security;

import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.authentication.JwtGrantedAuthoritiesConverter;
import org.springframework.security.oauth2.server.resource.authentication.JwtReactiveAuthenticationManager;
import org.springframework.security.oauth2.server.resource.authentication.ReactiveJwtAuthenticationConverterAdapter;
import org.springframework.security.web.server.authentication.ServerAuthenticationConverter;
import org.springframework.web.server.ServerWebExchange;

import reactor.core.publisher.Mono;

/**
 * Where a credential comes from and who checks it. A caller sends {@code X-API-Key: <key>} or
 * {@code Authorization: Bearer <key or JWT>}; a bearer value shaped like a JWT (three dot-separated
 * parts) goes to Spring Security's JWT manager when a JWT issuer is configured, anything else to
 * the API-key manager. Both are Spring Security's {@link ReactiveAuthenticationManager}s.
 */
final class Credentials implements ServerAuthenticationConverter, ReactiveAuthenticationManager {

    static final String API_KEY_HEADER = "X-API-Key";
    private static final String BEARER = "bearer ";
    private static final Map<String, Role> ROLE_BY_SCOPE = Arrays.stream(Role.values())
        .collect(Collectors.toUnmodifiableMap(Role::scope, Function.identity()));

    private final ReactiveAuthenticationManager apiKeys;
    private final ReactiveAuthenticationManager jwts;

    Credentials(ReactiveAuthenticationManager apiKeys, ReactiveJwtDecoder jwtDecoder) {
        this.apiKeys = apiKeys;
        this.jwts = jwtDecoder != null ? jwtManager(jwtDecoder) : null;
    }

    @Override
    public Mono<Authentication> convert(ServerWebExchange exchange) {
        HttpHeaders headers = exchange.getRequest().getHeaders();
        String apiKey = headers.getFirst(API_KEY_HEADER);
        if (apiKey != null && !apiKey.isBlank()) {
            return Mono.just(new BearerTokenAuthenticationToken(apiKey.strip()));
        }
        String authorization = headers.getFirst(HttpHeaders.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())
                && !authorization.substring(BEARER.length()).isBlank()) {
            return Mono.just(new BearerTokenAuthenticationToken(authorization.substring(BEARER.length()).strip()));
        }
        return Mono.empty();
    }

    @Override
    public Mono<Authentication> authenticate(Authentication authentication) {
        String token = (String) authentication.getCredentials();
        boolean jwtShaped = token.chars().filter(c -> c == '.').count() == 2;
        return jwtShaped && jwts != null ? jwts.authenticate(authentication) : apiKeys.authenticate(authentication);
    }

    /** Spring Security's JWT manager; scopes {@code asyncpatterns.read|write|monitor} become the three roles. */
    private static ReactiveAuthenticationManager jwtManager(ReactiveJwtDecoder decoder) {
        JwtGrantedAuthoritiesConverter scopes = new JwtGrantedAuthoritiesConverter();
        scopes.setAuthorityPrefix("");
        JwtAuthenticationConverter converter = new JwtAuthenticationConverter();
        converter.setJwtGrantedAuthoritiesConverter(jwt -> roles(scopes.convert(jwt)));
        JwtReactiveAuthenticationManager manager = new JwtReactiveAuthenticationManager(decoder);
        manager.setJwtAuthenticationConverter(new ReactiveJwtAuthenticationConverterAdapter(converter));
        return manager;
    }

    private static Collection<GrantedAuthority> roles(Collection<GrantedAuthority> scopes) {
        Set<String> granted = scopes.stream().map(GrantedAuthority::getAuthority).collect(Collectors.toSet());
        return granted.stream().map(ROLE_BY_SCOPE::get).filter(role -> role != null)
            .map(Role::authority).distinct().toList();
    }
}
