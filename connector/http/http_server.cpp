#include "connector/http/http_server.hpp"

#include "connector/http/http_session.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/v6_only.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>

#include <mutex>
#include <vector>

namespace sieve {

namespace net = boost::asio;
namespace beast = boost::beast;
using tcp = net::ip::tcp;
using error_code = boost::system::error_code;

// Accepts connections on one bound socket; each connection gets a session on its own strand.
class http_listener : public std::enable_shared_from_this<http_listener> {
public:
    explicit http_listener(std::shared_ptr<http_server_state> shared)
        : shared_(std::move(shared)), acceptor_(net::make_strand(shared_->ioc)) {}

    boost::system::result<unsigned short> bind(const tcp::endpoint& ep, bool v6_only) {
        error_code ec;
        acceptor_.open(ep.protocol(), ec);
        if (!ec && v6_only)
            acceptor_.set_option(net::ip::v6_only(true), ec);
        if (!ec)
            acceptor_.set_option(net::socket_base::reuse_address(true), ec);
        if (!ec)
            acceptor_.bind(ep, ec);
        if (!ec)
            acceptor_.listen(net::socket_base::max_listen_connections, ec);
        if (ec)
            return ec;
        auto local = acceptor_.local_endpoint(ec);
        if (ec)
            return ec;
        return local.port();
    }

    void run() {
        net::dispatch(acceptor_.get_executor(),
                      beast::bind_front_handler(&http_listener::do_accept, shared_from_this()));
    }

    void stop() {
        net::dispatch(acceptor_.get_executor(), [self = shared_from_this()] {
            error_code ec;
            self->acceptor_.close(ec);
        });
    }

private:
    void do_accept() {
        acceptor_.async_accept(net::make_strand(shared_->ioc),
                               beast::bind_front_handler(&http_listener::on_accept, shared_from_this()));
    }

    void on_accept(error_code ec, tcp::socket socket) {
        if (ec == net::error::operation_aborted || !acceptor_.is_open())
            return;
        if (!ec)
            admit(std::move(socket));
        if (shared_->stopping.load())
            return;
        do_accept();
    }

    // At the cap, the oldest connection that never passed the header check (no token yet: a
    // slow or hostile local program, never the extension's authenticated keep-alive
    // connections) gives way to the new one; when every connection is authenticated, the new one
    // is closed at once.
    void admit(tcp::socket socket) {
        std::shared_ptr<http_session> s, evicted; // released after the lock: ~http_session locks
        {
            std::lock_guard lock(shared_->mutex);
            bool room = !shared_->stopping.load() &&
                        (shared_->sessions.size() < shared_->limits.max_connections ||
                         make_room(evicted));
            if (!room) {
                error_code ignored;
                socket.close(ignored);
                return;
            }
            s = std::make_shared<http_session>(std::move(socket), shared_,
                                               shared_->next_serial++);
            shared_->sessions.emplace(s.get(), s);
        }
        if (evicted)
            evicted->evict();
        s->run();
    }

    // Caller holds shared_->mutex and the map is at the cap. True when a slot is free, or will
    // be once `evicted` (the oldest unauthenticated connection, marked) has been closed.
    bool make_room(std::shared_ptr<http_session>& evicted) {
        std::size_t live = 0;
        http_session* oldest = nullptr;
        for (const auto& [session, weak] : shared_->sessions) {
            if (session->evicting() || weak.expired())
                continue; // on its way out
            ++live;
            if (!session->trusted() && (!oldest || session->serial() < oldest->serial()))
                oldest = session;
        }
        if (live < shared_->limits.max_connections)
            return true;
        if (!oldest)
            return false;
        evicted = shared_->sessions[oldest].lock();
        oldest->mark_evicting();
        return true;
    }

    std::shared_ptr<http_server_state> shared_;
    tcp::acceptor acceptor_;
};

http_server::http_server(net::io_context& ioc, net::thread_pool& pool, http_handler& handler,
                         server_limits limits)
    : shared_(new http_server_state{ioc, pool, handler, limits}) {} // clang 14: no paren-aggregate init

http_server::~http_server() {
    stop();
}

boost::system::result<unsigned short, std::string> http_server::listen(unsigned short port) {
    auto v4 = std::make_shared<http_listener>(shared_);
    auto bound = v4->bind({net::ip::address_v4::loopback(), port}, false);
    if (!bound)
        return "cannot listen on 127.0.0.1:" + std::to_string(port) + ": " +
               bound.error().message();
    auto v6 = std::make_shared<http_listener>(shared_);
    auto bound6 = v6->bind({net::ip::address_v6::loopback(), *bound}, true);
    std::lock_guard lock(shared_->mutex);
    shared_->listeners.push_back(v4);
    if (bound6)
        shared_->listeners.push_back(v6);
    else
        ipv6_warning_ = "[::1]:" + std::to_string(*bound) + " unavailable (" +
                        bound6.error().message() + "); serving on 127.0.0.1 only";
    return *bound;
}

void http_server::start() {
    std::lock_guard lock(shared_->mutex);
    for (auto& l : shared_->listeners)
        l->run();
}

void http_server::stop() {
    if (shared_->stopping.exchange(true))
        return;
    std::vector<std::shared_ptr<http_session>> live;
    {
        std::lock_guard lock(shared_->mutex);
        for (auto& l : shared_->listeners)
            l->stop();
        shared_->listeners.clear(); // each listener holds shared_: break the cycle
        for (auto& [key, weak] : shared_->sessions)
            if (auto s = weak.lock())
                live.push_back(std::move(s));
    }
    for (auto& s : live)
        s->stop();
}

} // namespace sieve
