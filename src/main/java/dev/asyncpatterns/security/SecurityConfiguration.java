package dev.asyncpatterns.security;

import java.util.List;
import java.util.Set;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.authorization.ReactiveAuthorizationManager;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.web.server.MatcherSecurityWebFilterChain;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.WebFilterChainProxy;
import org.springframework.security.web.server.authentication.AuthenticationWebFilter;
import org.springframework.security.web.server.authorization.AuthorizationContext;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.firewall.HttpStatusExchangeRejectedHandler;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedHandler;
import org.springframework.security.web.server.firewall.ServerWebExchangeFirewall;
import org.springframework.security.web.server.firewall.StrictServerWebExchangeFirewall;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;
import org.springframework.web.server.ServerWebExchange;

import dev.asyncpatterns.web.ProblemWriter;

/**
 * Spring Security for WebFlux, configured for a stateless JSON API: no sessions, no login page,
 * no HTTP basic, no CSRF (no cookies to ride on). With credentials configured, {@code /api} needs
 * one and a role per method, {@code /actuator} beyond health and info needs {@code monitor};
 * everything else (Swagger UI, {@code /v3/api-docs}, {@code /sim/**}, the dashboard) stays public.
 * Without credentials every call is served anonymously (on loopback, see {@link AccessMode}).
 * The per-caller rate limit and the audit log run in both modes.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebFluxSecurity
class SecurityConfiguration {

    private static final String READER = Role.READER.roleName();
    private static final String OPERATOR = Role.OPERATOR.roleName();
    private static final String MONITOR = Role.MONITOR.roleName();

    /**
     * The paths where a credential can count: {@code /api} and {@code /actuator}, as the full
     * chain's authentication and authorization rules name them. Every other path is public in
     * either mode.
     */
    private static final PathPatternMatcher GUARDED = PathPatternMatcher.of("/api/**", "/actuator", "/actuator/**");

    /** Picked up by {@code @EnableWebFluxSecurity} as the filter chain's firewall. */
    @Bean
    ServerWebExchangeFirewall requestFirewall() {
        return RequestFirewall.create();
    }

    /**
     * No observation per security filter, authentication and authorization: several per request
     * for nothing a dashboard here shows. Turning them off by name
     * ({@code management.observations.enable.spring.security}) only made them no-ops: the chain was
     * still wrapped in Spring Security's observation decorator, a checkpoint per filter, which a
     * profile of {@code POST /api/jobs} showed. This setting leaves the chain unwrapped. The
     * request itself is still timed ({@code http.server.requests}).
     */
    @Bean
    SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }

    /**
     * Puts {@link FirstMatchingChain} in the place of the filter chain proxy that
     * {@code @EnableWebFluxSecurity} builds, with the same chains in the same order, the same
     * firewall and the same rejected handler (the one of each there is, else Spring Security's
     * defaults, as that proxy takes them).
     */
    @Bean
    static BeanPostProcessor firstMatchingChainProxy(ObjectProvider<SecurityWebFilterChain> chains,
            ObjectProvider<ServerWebExchangeFirewall> firewall, ObjectProvider<ServerExchangeRejectedHandler> rejected) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
                if (bean instanceof WebFilterChainProxy && !(bean instanceof FirstMatchingChain)) {
                    return new FirstMatchingChain(chains.orderedStream().toList(),
                            firewall.getIfUnique(StrictServerWebExchangeFirewall::new),
                            rejected.getIfUnique(HttpStatusExchangeRejectedHandler::new));
                }
                return bean;
            }
        };
    }

    @Bean
    MeterBinder auditDropMeter() {
        return new AuditDropMeter();
    }

    @Bean
    EdgeFilters edgeFilters(AccessMode mode, ProblemWriter problems, ObjectProvider<CallerBuckets> sharedBuckets) {
        AccessControlProperties.RateLimit rateLimit = mode.properties().rateLimit();
        return new EdgeFilters(rateLimit.enabled()
                ? new CallerRateLimiter(rateLimit, problems, sharedBuckets.getIfAvailable()) : null);
    }

    /**
     * The short chain, tried first: only the filters that have an effect where nothing needs a
     * credential, which is every request without credentials configured, and the public paths
     * with them. There Spring Security's own filters (the security context and its holder, the
     * request cache, exception translation, an authorization that can only say yes) decided
     * nothing, yet each request crossed them: with an API key configured, {@code GET /sim/...}
     * cost 0.7 of what it costs without. The firewall is not a filter: the filter chain proxy
     * applies it to every request before any chain. No filter here sets a principal, so a
     * controller sees none, as before.
     */
    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    SecurityWebFilterChain edgeOnlyChain(AccessMode mode, EdgeFilters edge) {
        ServerWebExchangeMatcher served = mode.secured() ? GUARDED.negate() : ServerWebExchangeMatchers.anyExchange();
        return new MatcherSecurityWebFilterChain(served, edge.inOrder());
    }

    /**
     * {@code /api} and {@code /actuator} with credentials configured: a credential on every
     * call, a role per method. Without credentials {@link #edgeOnlyChain} takes every request
     * first and this chain is never consulted.
     */
    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE + 1)
    SecurityWebFilterChain guardedChain(ServerHttpSecurity http, Credentials credentials, AuthAnswers answers,
            EdgeFilters edge) {
        http.securityMatcher(GUARDED)
            .csrf(ServerHttpSecurity.CsrfSpec::disable)
            .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
            .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
            .logout(ServerHttpSecurity.LogoutSpec::disable)
            .requestCache(cache -> cache.requestCache(NoOpServerRequestCache.getInstance()))
            .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
            .exceptionHandling(handling -> handling.authenticationEntryPoint(answers).accessDeniedHandler(answers))
            // The default headers, from one writer (SecurityHeaders says why).
            .headers(ServerHttpSecurity.HeaderSpec::disable)
            .addFilterAt(edge.headers(), SecurityWebFiltersOrder.HTTP_HEADERS_WRITER)
            .addFilterAt(edge.audit(), SecurityWebFiltersOrder.FIRST);
        if (edge.rateLimiter() != null) {
            http.addFilterAfter(edge.rateLimiter(), SecurityWebFiltersOrder.AUTHENTICATION);
        }
        http.addFilterAt(authenticationFilter(credentials, answers), SecurityWebFiltersOrder.AUTHENTICATION)
            .authorizeExchange(exchanges -> exchanges
                .matchers(AuthAnswers.PUBLIC_ACTUATOR).permitAll()
                .matchers(PathPatternMatcher.of("/actuator", "/actuator/**")).hasRole(MONITOR)
                .matchers(everyCallersJobs()).access(allOf(OPERATOR, MONITOR))
                .matchers(PathPatternMatcher.of(HttpMethod.GET, "/api/**")).hasAnyRole(READER, OPERATOR)
                .matchers(PathPatternMatcher.of(HttpMethod.HEAD, "/api/**")).hasAnyRole(READER, OPERATOR)
                .matchers(PathPatternMatcher.of("/api/**")).hasRole(OPERATOR)
                .anyExchange().denyAll());
        return http.build();
    }

    /** Spring Security's authentication filter with our converter and managers; stateless. */
    private static AuthenticationWebFilter authenticationFilter(Credentials credentials, AuthAnswers answers) {
        AuthenticationWebFilter filter = new AuthenticationWebFilter(credentials);
        filter.setServerAuthenticationConverter(credentials);
        filter.setRequiresAuthenticationMatcher(PathPatternMatcher.of("/api/**", "/actuator/**"));
        filter.setSecurityContextRepository(NoOpServerSecurityContextRepository.getInstance());
        filter.setAuthenticationFailureHandler(answers);
        filter.setAuthenticationSuccessHandler((webFilterExchange, authentication) -> {
            webFilterExchange.getExchange().getAttributes().put(Callers.NAME, authentication.getName());
            return webFilterExchange.getChain().filter(webFilterExchange.getExchange());
        });
        return filter;
    }

    /**
     * Job calls with {@code all} set to anything but {@code false}: the controller would show every
     * caller's jobs, so they need both operator and monitor.
     */
    private static ServerWebExchangeMatcher everyCallersJobs() {
        PathPatternMatcher jobs = PathPatternMatcher.of("/api/jobs", "/api/jobs/**");
        return exchange -> PathPatternMatcher.answer(jobs.test(exchange) && asksForAll(exchange));
    }

    private static boolean asksForAll(ServerWebExchange exchange) {
        List<String> values = exchange.getRequest().getQueryParams().get("all");
        return values != null && values.stream().anyMatch(value -> !"false".equalsIgnoreCase(value.strip()));
    }

    private static ReactiveAuthorizationManager<AuthorizationContext> allOf(String... roles) {
        Set<String> needed = Set.of(roles).stream().map(role -> "ROLE_" + role).collect(java.util.stream.Collectors.toSet());
        return (authentication, context) -> authentication
            .filter(Authentication::isAuthenticated)
            .map(auth -> auth.getAuthorities().stream().map(GrantedAuthority::getAuthority).toList())
            .<AuthorizationResult>map(granted -> new AuthorizationDecision(granted.containsAll(needed)))
            .defaultIfEmpty(new AuthorizationDecision(false));
    }

    @Bean
    Credentials credentials(AccessMode mode) {
        return new Credentials(new ApiKeyAuthenticationManager(mode.properties().apiKeys()), mode.jwtDecoder());
    }

    @Bean
    JwtWarmup jwtWarmup(AccessMode mode) {
        return new JwtWarmup(mode.jwtDecoder());
    }

    /** Swagger UI's Authorize button: an API key header and a bearer token, either one. */
    @Bean
    OpenApiCustomizer securitySchemesOpenApiCustomizer() {
        return openApi -> {
            if (openApi.getComponents() == null) {
                openApi.setComponents(new Components());
            }
            openApi.getComponents()
                .addSecuritySchemes("apiKey", new SecurityScheme().type(SecurityScheme.Type.APIKEY)
                    .in(SecurityScheme.In.HEADER).name(Credentials.API_KEY_HEADER)
                    .description("An API key from asyncpatterns.security.api-keys"))
                .addSecuritySchemes("bearer", new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                    .description("An API key, or a JWT with scopes asyncpatterns.read / write / monitor"));
            openApi.addSecurityItem(new SecurityRequirement().addList("apiKey"))
                .addSecurityItem(new SecurityRequirement().addList("bearer"));
        };
    }

    /**
     * With credentials configured, health details are for {@code monitor} only (the status stays
     * public); without, they stay as {@code management.endpoint.health.show-details} says.
     */
    @Bean
    static BeanPostProcessor healthDetailsForMonitors(ObjectProvider<AccessMode> mode) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessBeforeInitialization(Object bean, String beanName) throws BeansException {
                if (bean instanceof HealthEndpointProperties health && mode.getObject().secured()) {
                    health.setShowDetails(Show.WHEN_AUTHORIZED);
                    health.setRoles(Set.of(MONITOR));
                    health.getGroup().values().forEach(group -> {
                        group.setShowDetails(Show.WHEN_AUTHORIZED);
                        group.setRoles(Set.of(MONITOR));
                    });
                }
                return bean;
            }
        };
    }
}
