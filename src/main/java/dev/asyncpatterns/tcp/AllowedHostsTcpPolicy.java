package dev.asyncpatterns.tcp;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The interim {@link TcpHostPolicy}: exact, case-insensitive host names from
 * {@code asyncpatterns.outbound.allowed-hosts} (a comma list or a YAML list; default
 * {@code localhost,127.0.0.1}), the outbound allowlist's key, bound here without owning it.
 */
@Component
class AllowedHostsTcpPolicy implements TcpHostPolicy {

    private static final String KEY = "asyncpatterns.outbound.allowed-hosts";

    private final Set<String> allowed;

    @Autowired
    AllowedHostsTcpPolicy(Environment environment) {
        this(Binder.get(environment).bind(KEY, Bindable.listOf(String.class))
            .orElse(List.of("localhost", "127.0.0.1")));
    }

    AllowedHostsTcpPolicy(List<String> hosts) {
        this.allowed = hosts.stream().map(h -> h.trim().toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    }

    @Override
    public boolean allows(String host) {
        return allowed.contains(host.trim().toLowerCase(Locale.ROOT));
    }
}
