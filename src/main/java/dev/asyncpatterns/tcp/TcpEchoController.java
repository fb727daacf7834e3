package dev.asyncpatterns.tcp;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import reactor.core.publisher.Mono;

/** §5 of the API: the TCP client. */
@RestController
@RequestMapping(path = "/api/tcp", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "TCP streams", description = "asyncio streams: the service's TCP echo server (asyncio.start_server) "
        + "and this client (asyncio.open_connection).")
class TcpEchoController {

    private final TcpEchoClient client;

    TcpEchoController(TcpEchoClient client) {
        this.client = client;
    }

    @PostMapping(path = "/echo", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Send one line over TCP and read the reply line", description = """
            The **asyncio.open_connection** client: connects to `host:port` (the host must be in \
            `asyncpatterns.outbound.allowed-hosts`), writes `message` plus a newline, and answers the first line \
            read back. Connect and read each time out (`asyncpatterns.tcp.client.*`); the message is at most \
            `asyncpatterns.tcp.client.max-message-bytes` and a single line. Point it at the service's own echo \
            server (port `asyncpatterns.tcp.port`, default 9090, shown in /actuator/info).""")
    @ApiResponse(responseCode = "200", description = "The reply line", content = @Content(
            examples = @ExampleObject(value = "{\"reply\":\"hello\",\"elapsedMs\":3}")))
    @ApiResponse(responseCode = "400", description = "Host not allowed, message too long or multi-line, bad port",
            content = @Content(mediaType = "application/problem+json"))
    @ApiResponse(responseCode = "502", description = "Connection refused, closed without reply, or reply too long",
            content = @Content(mediaType = "application/problem+json"))
    @ApiResponse(responseCode = "504", description = "Connect or read timed out",
            content = @Content(mediaType = "application/problem+json"))
    Mono<EchoReply> echo(@io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
            examples = @ExampleObject(value = "{\"host\":\"localhost\",\"port\":9090,\"message\":\"hello\"}")))
            @Valid @RequestBody EchoRequest request) {
        return client.echo(request);
    }
}
