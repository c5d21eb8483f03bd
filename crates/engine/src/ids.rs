//! Typed ids of the model's items and the tables they index.
//!
//! Each kind of item (expression, rule, judgement, ...) has its own id type,
//! so a rule's id cannot be used to look up a judgement. An id is a `u32`:
//! it keeps [`crate::model::Node`] small, and no source the engine accepts
//! (1 MiB at most) comes near 2^32 items.

use std::marker::PhantomData;

/// An id of an item in a [`Table`]: a position, typed by what it indexes.
pub trait Id: Copy {
    /// The id of the item at `index`. An index beyond `u32` gives an id
    /// that no table holds (found as missing, never a wrong item).
    fn from_index(index: usize) -> Self;
    /// The position of the item in its table.
    fn index(self) -> usize;
}

/// Declare a newtype id over `u32`.
macro_rules! id {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
        pub struct $name(u32);

        impl $name {
            /// The id of the item at `index`: see [`crate::ids::Id::from_index`].
            #[inline]
            pub fn from_index(index: usize) -> Self {
                $name(u32::try_from(index).unwrap_or(u32::MAX))
            }
            /// The position of the item in its table.
            #[inline]
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }

        impl $crate::ids::Id for $name {
            #[inline]
            fn from_index(index: usize) -> Self {
                $name::from_index(index)
            }
            #[inline]
            fn index(self) -> usize {
                $name::index(self)
            }
        }
    };
}
pub(crate) use id;

/// The items of one kind, each at the position its id gives.
///
/// There is deliberately no `Index` impl: ids are made only by the checker,
/// for its own model, so an id out of range is a bug in the engine. A lookup
/// ([`Table::get`]) gives `None` for one, which evaluation reports as an
/// internal error (`eval::at`) and the other stages skip; the engine never
/// panics on it. The accessors are a bounds check on a `Vec`, nothing more.
#[derive(Debug, Clone)]
pub struct Table<I, T> {
    items: Vec<T>,
    id: PhantomData<fn() -> I>,
}

impl<I, T> Default for Table<I, T> {
    fn default() -> Self {
        Table {
            items: Vec::new(),
            id: PhantomData,
        }
    }
}

impl<I: Id, T> Table<I, T> {
    /// An empty table.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty table with room for `n` items.
    pub fn with_capacity(n: usize) -> Self {
        Vec::with_capacity(n).into()
    }

    /// Add an item; its id.
    #[inline]
    pub fn push(&mut self, item: T) -> I {
        let id = I::from_index(self.items.len());
        self.items.push(item);
        id
    }

    /// The item `id` names, if the table holds it.
    #[inline]
    pub fn get(&self, id: I) -> Option<&T> {
        self.items.get(id.index())
    }

    /// The item `id` names, to change, if the table holds it.
    #[inline]
    pub fn get_mut(&mut self, id: I) -> Option<&mut T> {
        self.items.get_mut(id.index())
    }

    /// How many items the table holds.
    #[inline]
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether the table holds no items.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The items in order.
    #[inline]
    pub fn iter(&self) -> std::slice::Iter<'_, T> {
        self.items.iter()
    }

    /// The items in order with their ids.
    #[inline]
    pub fn iter_ids(&self) -> impl DoubleEndedIterator<Item = (I, &T)> + ExactSizeIterator {
        self.items
            .iter()
            .enumerate()
            .map(|(i, item)| (I::from_index(i), item))
    }

    /// The items in order with their ids, to change.
    #[inline]
    pub fn iter_mut_ids(&mut self) -> impl Iterator<Item = (I, &mut T)> {
        self.items
            .iter_mut()
            .enumerate()
            .map(|(i, item)| (I::from_index(i), item))
    }

    /// The ids of the items, in order.
    #[inline]
    pub fn ids(&self) -> impl DoubleEndedIterator<Item = I> + ExactSizeIterator {
        (0..self.items.len()).map(I::from_index)
    }

    /// The items in order, as a slice: for code shared with lists that are
    /// not a table (a record's fields, read the same way as the evidence's).
    #[inline]
    pub fn as_slice(&self) -> &[T] {
        &self.items
    }

    /// The items, as a vector to keep or reuse.
    pub fn into_vec(self) -> Vec<T> {
        self.items
    }
}

impl<'t, I: Id, T> IntoIterator for &'t Table<I, T> {
    type Item = &'t T;
    type IntoIter = std::slice::Iter<'t, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.iter()
    }
}

impl<'t, I: Id, T> IntoIterator for &'t mut Table<I, T> {
    type Item = &'t mut T;
    type IntoIter = std::slice::IterMut<'t, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.iter_mut()
    }
}

impl<I: Id, T> IntoIterator for Table<I, T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

/// The items in order, the first with the first id.
impl<I: Id, T> From<Vec<T>> for Table<I, T> {
    fn from(items: Vec<T>) -> Self {
        Table {
            items,
            id: PhantomData,
        }
    }
}

impl<I: Id, T> FromIterator<T> for Table<I, T> {
    fn from_iter<It: IntoIterator<Item = T>>(iter: It) -> Self {
        Table {
            items: iter.into_iter().collect(),
            id: PhantomData,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    id!(Probe);

    #[test]
    fn an_id_is_the_position_it_was_pushed_at() {
        let mut t: Table<Probe, &str> = Table::new();
        let a = t.push("a");
        let b = t.push("b");
        assert_eq!((a.index(), b.index()), (0, 1));
        assert_eq!(t.get(b), Some(&"b"));
        assert_eq!(t.get(Probe::from_index(2)), None);
        assert_eq!(t.get(Probe::from_index(usize::MAX)), None);
        let pairs: Vec<(Probe, &&str)> = t.iter_ids().collect();
        assert_eq!(pairs, [(a, &"a"), (b, &"b")]);
    }
}
