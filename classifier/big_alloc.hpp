// An allocator for the model's large weight tables (megabytes each). Blocks of 1 MiB and more
// come straight from the kernel (zeroed anonymous memory) with MADV_HUGEPAGE, so loading a model
// takes a few hundred page faults instead of tens of thousands; smaller ones use operator new.
// Throws std::bad_alloc when the memory cannot be had.
#pragma once
#include <sys/mman.h>

#include <cstddef>
#include <new>

namespace sieve {

template <class T> struct big_allocator {
    using value_type = T;
    static constexpr std::size_t threshold = std::size_t{1} << 20;
    static constexpr std::size_t huge = std::size_t{2} << 20;

    big_allocator() = default;
    template <class U> big_allocator(const big_allocator<U>&) noexcept {}

    static std::size_t mapped_size(std::size_t n) { return (n * sizeof(T) + huge - 1) / huge * huge; }

    T* allocate(std::size_t n) {
        if (n * sizeof(T) < threshold)
            return static_cast<T*>(::operator new(n * sizeof(T)));
        void* p = ::mmap(nullptr, mapped_size(n), PROT_READ | PROT_WRITE,
                         MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED)
            throw std::bad_alloc();
        ::madvise(p, mapped_size(n), MADV_HUGEPAGE); // advice only: failure is harmless
        return static_cast<T*>(p);
    }
    void deallocate(T* p, std::size_t n) noexcept {
        if (n * sizeof(T) < threshold)
            ::operator delete(p);
        else
            ::munmap(p, mapped_size(n));
    }
    template <class U> bool operator==(const big_allocator<U>&) const noexcept { return true; }
};

} // namespace sieve
