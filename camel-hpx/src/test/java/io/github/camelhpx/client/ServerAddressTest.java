package io.github.camelhpx.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The server list that {@code host} may hold: host or host:port entries, in order. */
class ServerAddressTest {

    @Test
    void entriesWithoutAPortTakeTheDefaultOneAndKeepTheirOrder() {
        assertThat(ServerAddress.parseList("hpx1:7010, hpx2 ,10.0.0.3:7011", 7007)).containsExactly(
                new ServerAddress("hpx1", 7010), new ServerAddress("hpx2", 7007), new ServerAddress("10.0.0.3", 7011));
    }

    @Test
    void aSingleHostIsTheListOfOne() {
        assertThat(ServerAddress.parseList("localhost", 7007)).containsExactly(new ServerAddress("localhost", 7007));
    }

    @Test
    void ipv6AddressesTakeTheirPortInBrackets() {
        assertThat(ServerAddress.parseList("[::1]:7010,::1,[fe80::1]", 7007)).containsExactly(
                new ServerAddress("::1", 7010), new ServerAddress("::1", 7007), new ServerAddress("fe80::1", 7007));
        assertThat(new ServerAddress("::1", 7010)).hasToString("[::1]:7010");
    }

    @Test
    void theJoinedFormReadsBackTheSame() {
        var servers = ServerAddress.parseList("hpx1:7010,[::1]:7011,hpx2", 7007);

        assertThat(ServerAddress.join(servers)).isEqualTo("hpx1:7010,[::1]:7011,hpx2:7007");
        assertThat(ServerAddress.parseList(ServerAddress.join(servers), 1)).isEqualTo(servers);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "hpx1:7007,,hpx2|bad entry '' in the HPX server list 'hpx1:7007,,hpx2' (host or host:port, comma-separated): the entry is empty",
        "hpx1:port|bad entry 'hpx1:port' in the HPX server list 'hpx1:port' (host or host:port, comma-separated): the port 'port' is not a number",
        "hpx1:70070|bad entry 'hpx1:70070' in the HPX server list 'hpx1:70070' (host or host:port, comma-separated): port must be 1..65535, was 70070 (HPX server hpx1)",
        ":7007|bad entry ':7007' in the HPX server list ':7007' (host or host:port, comma-separated): an HPX server's host must not be empty",
        "[::1:7007|bad entry '[::1:7007' in the HPX server list '[::1:7007' (host or host:port, comma-separated): the IPv6 address has no closing ]",
        "[::1]7007|bad entry '[::1]7007' in the HPX server list '[::1]7007' (host or host:port, comma-separated): only :port may follow the IPv6 address",
        "hpx1,hpx1:7007|bad entry 'hpx1:7007' in the HPX server list 'hpx1,hpx1:7007' (host or host:port, comma-separated): it is listed twice",
    })
    void aBadEntryIsNamedInTheError(String list, String message) {
        assertThatThrownBy(() -> ServerAddress.parseList(list, 7007))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @Test
    void anEmptyListIsRefused() {
        assertThatThrownBy(() -> ServerAddress.parseList(" ", 7007))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one");
    }
}
