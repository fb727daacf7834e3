package dev.asyncpatterns.cluster;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

/**
 * Chooses the database auto-configuration from {@code asyncpatterns.store} before the context
 * starts, so users name the database once. The key is this switch alone, read here and by the
 * store's conditions, and bound to no properties record:
 * <ul>
 * <li>{@code memory} (the default): every R2DBC, JDBC, Flyway and transaction auto-configuration
 * is excluded, so the service is exactly what it is without a database on the class path.</li>
 * <li>{@code postgres}: R2DBC is configured from {@code spring.r2dbc.*}; Flyway, which migrates
 * over JDBC at start-up, gets its URL and credentials derived from the same properties unless
 * {@code spring.flyway.url} is set; the JDBC connection pool is excluded (only Flyway uses JDBC,
 * with a connection of its own); the readiness group also checks the job store.</li>
 * </ul>
 */
public class StoreEnvironment implements EnvironmentPostProcessor {

    static final String STORE = "asyncpatterns.store";
    static final String POSTGRES = "postgres";
    static final String MEMORY = "memory";
    private static final String SOURCE = "asyncpatternsStore";
    private static final String EXCLUDE = "spring.autoconfigure.exclude";
    private static final String READINESS = "management.endpoint.health.group.readiness.include";

    /** JDBC's pool and templates: with store=postgres only Flyway uses JDBC, over its own connection. */
    private static final List<String> JDBC = List.of(
            "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
            "org.springframework.boot.jdbc.autoconfigure.DataSourceInitializationAutoConfiguration",
            "org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration",
            "org.springframework.boot.jdbc.autoconfigure.JdbcClientAutoConfiguration",
            "org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration",
            "org.springframework.boot.jdbc.autoconfigure.JndiDataSourceAutoConfiguration",
            "org.springframework.boot.jdbc.autoconfigure.XADataSourceAutoConfiguration",
            "org.springframework.boot.jdbc.autoconfigure.health.DataSourceHealthContributorAutoConfiguration",
            "org.springframework.boot.jdbc.autoconfigure.metrics.DataSourcePoolMetricsAutoConfiguration");

    /** Everything else the database starters bring, off with the memory store. */
    private static final List<String> DATABASE = List.of(
            "org.springframework.boot.r2dbc.autoconfigure.R2dbcAutoConfiguration",
            "org.springframework.boot.r2dbc.autoconfigure.R2dbcInitializationAutoConfiguration",
            "org.springframework.boot.r2dbc.autoconfigure.R2dbcProxyAutoConfiguration",
            "org.springframework.boot.r2dbc.autoconfigure.R2dbcTransactionManagerAutoConfiguration",
            "org.springframework.boot.r2dbc.autoconfigure.health.ConnectionFactoryHealthContributorAutoConfiguration",
            "org.springframework.boot.r2dbc.autoconfigure.metrics.ConnectionPoolMetricsAutoConfiguration",
            "org.springframework.boot.r2dbc.autoconfigure.observation.R2dbcObservationAutoConfiguration",
            "org.springframework.boot.data.r2dbc.autoconfigure.DataR2dbcAutoConfiguration",
            "org.springframework.boot.data.r2dbc.autoconfigure.DataR2dbcRepositoriesAutoConfiguration",
            "org.springframework.boot.data.autoconfigure.metrics.DataRepositoryMetricsAutoConfiguration",
            "org.springframework.boot.data.autoconfigure.web.DataWebAutoConfiguration",
            "org.springframework.boot.persistence.autoconfigure.PersistenceExceptionTranslationAutoConfiguration",
            "org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration",
            "org.springframework.boot.transaction.autoconfigure.TransactionManagerCustomizationAutoConfiguration",
            "org.springframework.boot.transaction.jta.autoconfigure.JtaAutoConfiguration",
            "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration",
            "org.springframework.boot.flyway.autoconfigure.FlywayEndpointAutoConfiguration");

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String store = environment.getProperty(STORE, MEMORY).trim();
        boolean postgres = POSTGRES.equalsIgnoreCase(store);
        if (!postgres && !MEMORY.equalsIgnoreCase(store)) {
            // No store would start: fail here, naming the key, rather than with a missing bean later.
            throw new IllegalStateException(STORE + " must be '" + MEMORY + "' or '" + POSTGRES + "', not '" + store + "'");
        }
        Map<String, Object> values = new LinkedHashMap<>();
        List<String> excluded = new ArrayList<>(JDBC);
        if (postgres) {
            deriveFlyway(environment, values);
            String readiness = environment.getProperty(READINESS);
            if (readiness != null && !readiness.contains(JobStoreHealthIndicator.NAME)) {
                values.put(READINESS, readiness + "," + JobStoreHealthIndicator.NAME);
            }
        }
        else {
            excluded.addAll(DATABASE);
        }
        Set<String> exclude = new LinkedHashSet<>(
                Arrays.asList(StringUtils.commaDelimitedListToStringArray(environment.getProperty(EXCLUDE, ""))));
        ClassLoader loader = application != null ? application.getClassLoader() : getClass().getClassLoader();
        excluded.stream().filter(name -> ClassUtils.isPresent(name, loader)).forEach(exclude::add);
        exclude.remove("");
        values.put(EXCLUDE, String.join(",", exclude));
        environment.getPropertySources().addFirst(new MapPropertySource(SOURCE, values));
    }

    /** {@code r2dbc:[pool:]postgresql://host/db?x} becomes {@code jdbc:postgresql://host/db?x} for Flyway. */
    private static void deriveFlyway(ConfigurableEnvironment environment, Map<String, Object> values) {
        String r2dbcUrl = environment.getProperty("spring.r2dbc.url");
        if (environment.getProperty("spring.flyway.url") != null || r2dbcUrl == null) {
            return;
        }
        values.put("spring.flyway.url", jdbcUrl(r2dbcUrl));
        putIfSet(environment, values, "spring.r2dbc.username", "spring.flyway.user");
        putIfSet(environment, values, "spring.r2dbc.password", "spring.flyway.password");
    }

    static String jdbcUrl(String r2dbcUrl) {
        String rest = r2dbcUrl.trim();
        if (rest.startsWith("r2dbc:")) {
            rest = rest.substring("r2dbc:".length());
        }
        if (rest.startsWith("pool:")) {
            rest = rest.substring("pool:".length());
        }
        return "jdbc:" + rest;
    }

    private static void putIfSet(ConfigurableEnvironment environment, Map<String, Object> values, String from,
            String to) {
        String value = environment.getProperty(from);
        if (value != null && environment.getProperty(to) == null) {
            values.put(to, value);
        }
    }
}
