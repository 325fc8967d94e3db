package kubenurse.k3s;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;
import org.junit.jupiter.api.Test;

class TwoNodeK3sTest {

    @Test
    void aNodeGetsAPrivateCgroupNamespaceWithoutTheHostsCgroupTree() {
        Bind kept = new Bind("/var/lib/data", new Volume("/data"));
        HostConfig asK3sContainerMakesIt = HostConfig.newHostConfig().withPrivileged(true).withCgroupnsMode("host")
                .withBinds(new Bind("/sys/fs/cgroup", new Volume("/sys/fs/cgroup"), AccessMode.rw), kept);

        HostConfig node = TwoNodeK3s.ownCgroupRoot(asK3sContainerMakesIt);

        assertEquals("private", node.getCgroupnsMode());
        assertArrayEquals(new Bind[] {kept}, node.getBinds());
        assertEquals(Boolean.TRUE, node.getPrivileged());
    }

    @Test
    void aNodeWithoutBindsGetsAPrivateCgroupNamespace() {
        HostConfig node = TwoNodeK3s.ownCgroupRoot(HostConfig.newHostConfig().withPrivileged(true));

        assertEquals("private", node.getCgroupnsMode());
        assertArrayEquals(new Bind[0], node.getBinds());
    }
}
