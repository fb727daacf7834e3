package dev.asyncpatterns.security;

import java.util.Locale;

import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/** What a caller may do; a key or a token carries one or more. */
public enum Role {

    /** Every GET under {@code /api}. */
    READER("asyncpatterns.read"),
    /** Also POST, DELETE and cancel under {@code /api}: starts and stops work. */
    OPERATOR("asyncpatterns.write"),
    /** Metrics, Prometheus, health details and Resilience4j's actuator endpoints. */
    MONITOR("asyncpatterns.monitor");

    private final String scope;

    Role(String scope) {
        this.scope = scope;
    }

    /** The role's name as configured and as Boot's health endpoint {@code roles} name it. */
    public String roleName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The JWT scope that grants this role. */
    public String scope() {
        return scope;
    }

    GrantedAuthority authority() {
        return new SimpleGrantedAuthority("ROLE_" + roleName());
    }
}
