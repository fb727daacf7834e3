package dev.asyncpatterns.tcp;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.stereotype.Component;

/** Shows the echo server in {@code /actuator/info}: whether it runs and its bound port (useful when port=0). */
@Component
class TcpInfoContributor implements InfoContributor {

    private final TcpEchoServer server;
    private final TcpProperties properties;

    TcpInfoContributor(TcpEchoServer server, TcpProperties properties) {
        this.server = server;
        this.properties = properties;
    }

    @Override
    public void contribute(Info.Builder builder) {
        Map<String, Object> tcp = new LinkedHashMap<>();
        tcp.put("enabled", properties.enabled());
        tcp.put("running", server.isRunning());
        tcp.put("port", server.port());
        tcp.put("openConnections", server.openConnections());
        builder.withDetail("tcp", tcp);
    }
}
